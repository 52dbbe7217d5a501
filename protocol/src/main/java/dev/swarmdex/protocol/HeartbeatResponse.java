package dev.swarmdex.protocol;

/**
 * The answer to a heartbeat: the peer's session is alive; beat again within this many seconds, and
 * follow the directive if there is one (null when there is none).
 */
public record HeartbeatResponse(int heartbeatSeconds, Directive directive) {
  /** Carry on as before. */
  public HeartbeatResponse(int heartbeatSeconds) {
    this(heartbeatSeconds, null);
  }
}
