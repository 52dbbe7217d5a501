package dev.swarmdex.index.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * A logged-in admin: the session id (the cookie's value), who, the CSRF token every change must
 * send in {@code X-CSRF-Token}, and when the session was opened. Its {@code toString} leaves both
 * secrets out, so a session may be logged.
 */
public record AdminSession(String id, String admin, String csrfToken, Instant openedAt) {
  public AdminSession {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(csrfToken, "csrfToken");
    Objects.requireNonNull(openedAt, "openedAt");
  }

  @Override
  public String toString() {
    return "AdminSession[admin=" + admin + ", openedAt=" + openedAt + "]";
  }
}
