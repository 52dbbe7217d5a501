/**
 * Hostile input as a test: a property-based fuzz suite that throws random and mutated requests at
 * every route of the index server, a supernode and a peer's file server over real sockets.
 */
package dev.swarmdex.system.hostile;
