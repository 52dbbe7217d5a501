/**
 * Saved searches that notify, network-wide (Scribe-like): peers' searches held at their directory,
 * registered at rendezvous directories by their rarest word, matched there against what is
 * published anywhere, and the matches held for their peers until read.
 */
package dev.swarmdex.engine.watch;
