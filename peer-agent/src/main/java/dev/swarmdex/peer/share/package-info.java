/**
 * Finding what a peer shares: scanning its folder, hashing files with SHA-256 and into a hash tree
 * of 1 MiB chunks in one pass (with a persistent cache so unchanged files are never re-read), and
 * telling two scans apart.
 */
package dev.swarmdex.peer.share;
