package dev.swarmdex.index.admin;

import java.util.Objects;

/**
 * The answer to a login and to {@code GET /api/v1/admin/session}: who is logged in, and the CSRF
 * token to send in {@code X-CSRF-Token} with every change.
 */
public record AdminIdentity(String name, String csrfToken) {
  public AdminIdentity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(csrfToken, "csrfToken");
  }

  static AdminIdentity of(AdminSession session) {
    return new AdminIdentity(session.admin(), session.csrfToken());
  }
}
