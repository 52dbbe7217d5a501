package dev.swarmdex.protocol;

import java.util.List;

/**
 * The answer to a heartbeat: the peer's session is alive; beat again within this many seconds, and
 * follow the directive if there is one (null when there is none). {@code alerts} tell the peer what
 * it should know about its identity (a join with its token that the directory refused since the
 * last beat: the token may be stolen); the agent logs them.
 */
public record HeartbeatResponse(int heartbeatSeconds, Directive directive, List<String> alerts) {
  /** Most alerts one answer carries. */
  public static final int MAX_ALERTS = 8;

  public HeartbeatResponse {
    alerts = alerts == null ? List.of() : Require.list("alerts", alerts, MAX_ALERTS);
  }

  /** Carry on, and follow {@code directive} (may be null). */
  public HeartbeatResponse(int heartbeatSeconds, Directive directive) {
    this(heartbeatSeconds, directive, List.of());
  }

  /** Carry on as before. */
  public HeartbeatResponse(int heartbeatSeconds) {
    this(heartbeatSeconds, null, List.of());
  }
}
