/**
 * Load generators that measure a real Swarmdex index server from a separate process: how fast it
 * takes published entries and answers searches, with realistic names from a corpus.
 */
package dev.swarmdex.bench;
