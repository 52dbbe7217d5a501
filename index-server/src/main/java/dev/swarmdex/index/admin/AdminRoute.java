package dev.swarmdex.index.admin;

/**
 * One admin action, added with {@link AdminHandler#route}. It runs only for a logged-in admin (and,
 * unless it is a GET, with a valid CSRF token); what it returns is written as the JSON answer
 * ({@code null} becomes {@code {"status":"ok"}}).
 *
 * <pre>{@code
 * admin.route("POST", "peers/{id}/promote", "promote",
 *     call -> directory.promote(call.pathParams().get("id")));
 * }</pre>
 *
 * <p>A change (any method but GET) runs in the database transaction of its audit entry, so its
 * writes through the same Jdbi commit with the entry or not at all; a change outside the database
 * returns an {@link AfterAudit}, run once the entry is committed.
 *
 * <p>Throw {@link IllegalArgumentException} for bad input (400) and {@link AdminException} for a
 * refusal with its own status (404, 409, ...); anything else is a 500.
 */
@FunctionalInterface
public interface AdminRoute {
  /** Performs the action and returns the answer to encode as JSON. */
  Object handle(AdminCall call) throws Exception;
}
