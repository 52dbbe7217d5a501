/**
 * The mesh's rules: which directories a flooded query goes to and when it stops, how answers from
 * several directories merge, which supernodes are linked, where leaves go, and who is promoted.
 *
 * <p>Every class here is a pure policy (values in, values out) except {@link
 * dev.swarmdex.engine.overlay.QueryLog}, which owns a small, bounded, thread-safe table. None of
 * them touches a socket; the HTTP mesh runtime calls them.
 */
package dev.swarmdex.engine.overlay;
