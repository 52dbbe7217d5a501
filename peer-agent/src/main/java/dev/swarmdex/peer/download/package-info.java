/**
 * Fetching one content from other peers over HTTP: resume from a {@code .part} file with Range,
 * fall over from source to source, verify the SHA-256 and move the finished file into place.
 */
package dev.swarmdex.peer.download;
