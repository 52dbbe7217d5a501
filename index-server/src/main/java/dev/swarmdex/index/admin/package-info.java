/**
 * The admin API's frame: admin login, sessions, CSRF checks, throttled failed logins and the audit
 * log, under {@code /api/v1/admin/}, with {@link dev.swarmdex.index.admin.AdminHandler#route} as
 * the one place other features add admin actions.
 *
 * <p>An admin logs in with a name and password ({@code POST /api/v1/admin/login}) and gets an
 * HttpOnly, SameSite=Strict session cookie and a CSRF token; every change must send the token in
 * {@code X-CSRF-Token}; every change is written to the audit log with who and when.
 */
package dev.swarmdex.index.admin;
