/**
 * The peer agent: shares a folder with a Swarmdex directory (join, publish, heartbeat, rescan),
 * serves its files, and the {@code swarmdex-peer-agent} command line (share, search, get).
 */
package dev.swarmdex.peer;
