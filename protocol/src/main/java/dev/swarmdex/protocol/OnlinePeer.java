package dev.swarmdex.protocol;

/**
 * A peer online somewhere in the network, as the admin console lists it: where its session is
 * ({@code directory}: {@code index} or a supernode's id), its address, how long it has been on and
 * how many files it shares, and its participation level (0-1000).
 */
public record OnlinePeer(
    String peerId,
    String name,
    String ip,
    int port,
    boolean firewalled,
    long uptimeSeconds,
    int files,
    String directory,
    String role,
    int reputation) {}
