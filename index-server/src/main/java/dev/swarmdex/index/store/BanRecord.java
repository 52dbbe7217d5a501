package dev.swarmdex.index.store;

import java.time.Instant;

/** One ban: on a peer id or on an IP address (the other is null), why, by whom, when. */
public record BanRecord(
    long id, String peerId, String ip, String reason, String admin, Instant at) {}
