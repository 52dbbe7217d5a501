package dev.swarmdex.index.admin;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * An admin route's answer for a change made outside the database (in memory, or on the network
 * through the mesh): {@link AdminHandler} first commits the change's audit entry, together with any
 * database part of the change, and only then runs {@code apply}, whose result is the answer. When
 * the entry cannot be written the change is refused (503) and {@code apply} never runs; when {@code
 * apply} fails, that outcome is recorded too (as {@code <action>-failed}) and the error answered.
 *
 * <pre>{@code
 * admin.route("POST", "peers/{id}/promote", "promote",
 *     call -> new AfterAudit("", () -> registry.promote(call.pathParams().get("id"))));
 * }</pre>
 *
 * @param auditTarget what the audit log names as the target when the path has no {@code {id}}
 * @param apply the change itself; returns the answer to encode as JSON
 */
public record AfterAudit(String auditTarget, Callable<Object> apply) implements Audited {
  public AfterAudit {
    Objects.requireNonNull(auditTarget, "auditTarget");
    Objects.requireNonNull(apply, "apply");
  }
}
