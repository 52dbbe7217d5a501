/**
 * Reaching the whole network without flooding it: keyword digests of what a directory's leaves
 * share, rendezvous homes of content ids, and the dynamic-query plan that asks the most promising
 * directories first. Pure and transport-free, so the servers and the bench's simulation run the
 * same rules (docs/ARCHITECTURE.md, "Reaching the whole network").
 */
package dev.swarmdex.engine.routing;
