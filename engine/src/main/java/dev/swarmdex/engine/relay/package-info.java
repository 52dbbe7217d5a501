/**
 * Relays for firewalled sources: a downloader's range request waits at the directory holding the
 * source's session, the firewalled peer (long-polling for push requests) posts the bytes, and the
 * directory passes them on within a bandwidth cap.
 */
package dev.swarmdex.engine.relay;
