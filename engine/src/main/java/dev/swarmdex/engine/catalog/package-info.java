/**
 * The directory's searchable catalog of shared files: a Lucene index of {@code <name, size, sha256,
 * peer>} entries that peers publish, searched by the words people type and grouped by content id.
 *
 * <p>{@link dev.swarmdex.engine.catalog.Catalog} is the entry point; {@link
 * dev.swarmdex.engine.catalog.SearchTerms} lends the same word and prefix rules to keyword routing.
 * The word splitting, query building and grouping behind them are pure package-private classes.
 */
package dev.swarmdex.engine.catalog;
