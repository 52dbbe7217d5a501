package dev.swarmdex.engine.catalog;

/**
 * What a catalog holds over all peers.
 *
 * @param files the number of entries
 * @param bytes the sum of their sizes
 */
public record CatalogTotals(long files, long bytes) {}
