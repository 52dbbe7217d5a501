/**
 * The index server's hard state: what must survive a crash of the server (peer identities now;
 * reputation, the supernode registry, bans and the audit log later), kept in H2 or PostgreSQL.
 *
 * <p>{@link dev.swarmdex.index.store.Database} opens a pooled connection, applies the Flyway
 * migrations shipped in {@code classpath:db/migration} and hands out one store per table family,
 * such as {@link dev.swarmdex.index.store.PeerStore}. Every failure surfaces as a {@link
 * dev.swarmdex.engine.directory.StoreException}.
 */
package dev.swarmdex.index.store;
