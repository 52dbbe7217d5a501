package dev.swarmdex.protocol;

/** The answer to a heartbeat: the peer's session is alive; beat again within this many seconds. */
public record HeartbeatResponse(int heartbeatSeconds) {}
