package dev.swarmdex.index.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the audit log: which admin did what, to what, when. {@code admin} is {@code "-"} for
 * a failed login; {@code target} and {@code detail} are empty when there is none.
 */
public record AuditEntry(
    long id, Instant at, String admin, String action, String target, String detail) {
  public AuditEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(detail, "detail");
  }
}
