package dev.swarmdex.index.admin;

/**
 * An admin route's answer that names what the action was about, for routes with no {@code {id}} in
 * their path (a ban names the banned peer or address).
 */
public interface Audited {
  /** What the audit log records as the action's target. */
  String auditTarget();
}
