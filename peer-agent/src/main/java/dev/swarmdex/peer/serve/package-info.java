/**
 * Serving the shared files to other peers over HTTP: {@code GET}/{@code HEAD /files/{sha256}} with
 * Range, a JSON listing of what is shared, and a health check, on Jetty's core (no servlets).
 */
package dev.swarmdex.peer.serve;
