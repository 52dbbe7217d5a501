/**
 * Serving the shared files to other peers over HTTP, fairly: {@code GET}/{@code HEAD
 * /files/{sha256}} with Range, a JSON listing of what is shared, and a health check, on Jetty's
 * core (no servlets), behind an upload gate that limits uploads at once (slots by reputation, one
 * rotating optimistic slot) and paces them to global and per-address rates; a firewalled peer
 * instead pushes requested ranges to its directory's relay ({@link
 * dev.swarmdex.peer.serve.Pusher}). Every range served is signed with a served ticket, the evidence
 * behind the peer's reputation.
 */
package dev.swarmdex.peer.serve;
