/**
 * The directory's peer-facing operations: joins, sessions, publishes, heartbeats, searches and
 * browsing, over the catalog (soft state) and the peer store (hard state).
 */
package dev.swarmdex.engine.directory;
