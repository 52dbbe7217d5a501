package dev.swarmdex.engine.directory;

import dev.swarmdex.engine.catalog.Catalog;
import dev.swarmdex.engine.catalog.CatalogHits;
import dev.swarmdex.engine.catalog.Hit;
import dev.swarmdex.engine.catalog.Ranking;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import dev.swarmdex.protocol.SourceNetworks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * Joins the catalog's hits with the live sessions: each peer's address, whether it is firewalled,
 * where its bytes can be relayed and its participation level, so that entries never carry an
 * address and an ended session's entries are never served. A session hidden because its presence
 * broke ({@link Presences}) is left out as if it had ended: one map lookup and one flag per source.
 */
final class SourcesJoin {
  private final Catalog catalog;
  private final Sessions sessions;
  private volatile String publicUrl;
  private volatile ToIntFunction<String> levels = peerId -> 0;
  private volatile LongSupplier levelChanges = () -> 0;

  SourcesJoin(Catalog catalog, Sessions sessions) {
    this.catalog = catalog;
    this.sessions = sessions;
  }

  /** {@link Directory#setPublicUrl}. */
  void setPublicUrl(String url) {
    this.publicUrl = url;
  }

  /** {@link Directory#setLevels}. */
  void setLevels(ToIntFunction<String> source, LongSupplier changes) {
    this.levels = source;
    this.levelChanges = changes;
  }

  /**
   * {@link Directory#answersEpoch}: the catalog's reader (by identity), the sessions' and levels'
   * change counts and the public URL, all that a page of results here is made of.
   */
  Object epoch() {
    ToIntFunction<String> source = levels;
    long levelCount = levelChanges.getAsLong();
    return levelCount < 0
        ? null
        : new Epoch(catalog.generation(), sessions.changes(), source, levelCount, publicUrl);
  }

  /** Compared by value; the reader and the level source by identity (neither overrides equals). */
  private record Epoch(
      Object reader, long sessions, Object levels, long levelCount, String publicUrl) {}

  /** {@link Directory#rated}. */
  List<SearchResult> rated(List<SearchResult> given) {
    List<SearchResult> rated = new ArrayList<>(given.size());
    for (SearchResult result : given) {
      List<Source> sources = new ArrayList<>(result.sources().size());
      for (Source source : result.sources()) {
        int known = levels.applyAsInt(source.peer());
        sources.add(known > source.reputation() ? source.withReputation(known) : source);
      }
      sources.sort(Ranking.SOURCES);
      rated.add(
          new SearchResult(
              result.name(),
              result.size(),
              result.sha256(),
              result.type(),
              sources,
              result.networks(),
              result.treeRoot()));
    }
    return rated;
  }

  /** A page of results of {@code query}, ranked, from online sources only. */
  SearchResponse search(SearchQuery query) {
    CatalogHits hits = catalog.search(query);
    List<Ranked> ranked = new ArrayList<>(hits.hits().size());
    int dropped = 0;
    for (Hit hit : hits.hits()) {
      int position = ranked.size(); // in the catalog's order
      Optional<SearchResult> result = toResult(hit);
      if (result.isPresent()) {
        ranked.add(new Ranked(hit, result.get(), Ranking.bestLevel(result.get()), position));
      } else {
        dropped++; // every source offline or hidden
      }
    }
    // The catalog ranked without levels; with them joined in, the same rule again. The catalog's
    // order stands in for the text relevance it ranked by.
    ranked.sort(Ranking.ORDER);
    // The total counts the catalog's matches; those of this page without a live source are taken
    // off (further pages are not joined, so their hidden sources still count).
    int total = Math.max(query.offset() + ranked.size(), hits.total() - dropped);
    return new SearchResponse(ranked.stream().map(Ranked::result).toList(), total, query.offset());
  }

  /** A hit of the page with its online sources, read by the rule. */
  private record Ranked(Hit hit, SearchResult result, int level, int position)
      implements Ranking.Ranked {
    @Override
    public float score() {
      return hit.score();
    }

    @Override
    public int networks() {
      return hit.networks();
    }

    @Override
    public float relevance() {
      return -position;
    }

    @Override
    public String contentId() {
      return hit.sha256().hex();
    }
  }

  /** The hit with its online sources; empty when none is online. */
  Optional<SearchResult> toResult(Hit hit) {
    List<Source> sources = new ArrayList<>(hit.peers().size());
    long[] networks = new long[hit.peers().size()];
    for (String peerId : hit.peers()) {
      LiveSession session = sessions.get(peerId);
      if (session != null && !session.hidden()) {
        networks[sources.size()] = session.network;
        sources.add(
            new Source(
                peerId,
                session.ip,
                session.port,
                session.filesUrl + hit.sha256().hex(),
                session.firewalled,
                publicUrl,
                Math.max(0, Math.min(1000, levels.applyAsInt(peerId)))));
      }
    }
    if (sources.isEmpty()) {
      return Optional.empty();
    }
    sources.sort(Ranking.SOURCES);
    return Optional.of(
        new SearchResult(
            hit.name(),
            hit.size(),
            hit.sha256(),
            hit.type(),
            sources,
            SourceNetworks.count(networks, sources.size()),
            hit.treeRoot()));
  }

  /** {@link Directory#relayableSize}. */
  long relayableSize(String peerId, Sha256 sha256) {
    LiveSession session = sessions.get(peerId);
    if (session == null || session.hidden()) { // hidden: its presence broke, it is likely dead
      throw new DirectoryException(Reason.NOT_FOUND, "peer " + peerId + " is not online here");
    }
    Hit hit =
        catalog
            .locate(sha256)
            .filter(found -> found.peers().contains(peerId))
            .orElseThrow(
                () ->
                    new DirectoryException(
                        Reason.NOT_FOUND, "peer " + peerId + " does not share " + sha256));
    if (!session.firewalled) {
      throw new IllegalArgumentException(
          "peer "
              + peerId
              + " accepts connections: fetch it directly at "
              + Source.url(session.ip, session.port, sha256));
    }
    return hit.size();
  }

  /** {@link Directory#shares}. */
  boolean shares(String peerId, Sha256 sha256) {
    return online(peerId)
        && catalog.locate(sha256).filter(hit -> hit.peers().contains(peerId)).isPresent();
  }

  /** {@link Directory#sharedHit}. */
  Optional<Hit> sharedHit(String peerId, Sha256 sha256) {
    return online(peerId)
        ? catalog.locate(sha256).filter(hit -> hit.peers().contains(peerId))
        : Optional.empty();
  }

  /** Whether the peer has a session here that is not hidden (its presence did not break). */
  private boolean online(String peerId) {
    LiveSession session = sessions.get(peerId);
    return session != null && !session.hidden();
  }
}
