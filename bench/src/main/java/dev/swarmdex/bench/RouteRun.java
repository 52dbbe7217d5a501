package dev.swarmdex.bench;

import dev.swarmdex.engine.catalog.SearchTerms;
import dev.swarmdex.engine.routing.AffinityGroups;
import dev.swarmdex.engine.routing.DigestQuery;
import dev.swarmdex.engine.routing.DynamicQuery;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

/**
 * The {@code route} simulation (issue 21 item 4): a network of directories whose digests, searches
 * and content homes are the servers' own {@code engine.routing} classes, only the transport
 * replaced by counting, measured beside flooding on a random mesh of the same directories.
 */
final class RouteRun {
  /** What to simulate. */
  record Config(
      Path corpus,
      int corpusLines,
      int directories,
      int leaves,
      int minNames,
      int maxNames,
      int queries,
      int degree,
      int page,
      int victims,
      long seed,
      Path markdown) {
    Config {
      if (directories < 2 || leaves < 1 || queries < 1 || victims < 0 || page < 1) {
        throw new IllegalArgumentException(
            "need --directories >= 2, --leaves >= 1, --queries >= 1, --page >= 1, --victims >= 0");
      }
      if (minNames < 1 || maxNames < minNames) {
        throw new IllegalArgumentException("--names must be MIN-MAX with 1 <= MIN <= MAX");
      }
      if (degree < 1 || degree >= directories) {
        throw new IllegalArgumentException("--degree must be 1 to directories - 1");
      }
    }
  }

  /** One query's figures: the routed search and the floods from the same origin. */
  record QueryRow(
      String text,
      RoutedSearch.Outcome routed,
      long ttl3Messages,
      int ttl3Holders,
      long ttl99Messages,
      int ttl99Holders) {
    boolean popular(int wanted) {
      return routed.allResults() >= wanted;
    }
  }

  private final Config config;
  private final List<String> names;
  private final int[] pool;
  final List<QueryRow> rows = new ArrayList<>();
  final List<HomePlacement.Death> deaths = new ArrayList<>();
  RouteNetwork network;
  AffinityGroups groups;
  HomePlacement placement;
  int ttl99;
  double ttl3Coverage;
  double ttl99Coverage;
  long buildNanos;
  long queryNanos;
  long homeNanos;
  long heapAfterBuild;
  long lookupMessages;
  int lookups;

  /** A run over {@code names}, leaves drawing from {@code pool} (ids into names, with repeats). */
  RouteRun(Config config, List<String> names, int[] pool) {
    this.config = config;
    this.names = names;
    this.pool = pool;
  }

  int wanted() {
    return DynamicQuery.Settings.forPage(config.page()).wanted();
  }

  Config config() {
    return config;
  }

  RouteRun run() {
    long start = System.nanoTime();
    int patchEvery = Math.max(1, config.directories() / 200);
    network =
        RouteNetwork.build(
            names,
            pool,
            config.directories(),
            config.leaves(),
            config.minNames(),
            config.maxNames(),
            config.seed(),
            patchEvery);
    groups = AffinityGroups.of(network.ids(), AffinityGroups.bitsFor(config.directories()));
    NameMatches matches = NameMatches.of(names);
    buildNanos = System.nanoTime() - start;
    heapAfterBuild = usedHeapAfterGc();

    FloodBaseline flood =
        FloodBaseline.random(config.directories(), config.degree(), config.seed() + 3);
    Random random = new Random(config.seed() + 2);
    int[] probes = new int[Math.min(50, config.directories())];
    for (int i = 0; i < probes.length; i++) {
      probes[i] = random.nextInt(config.directories());
    }
    ttl99 = flood.ttlReaching(0.99, probes);
    start = System.nanoTime();
    RoutedSearch search =
        new RoutedSearch(network, groups, DynamicQuery.Settings.forPage(config.page()));
    long reached3 = 0;
    long reached99 = 0;
    for (int q = 0; q < config.queries(); q++) {
      String text = queryText(random, q % 2 == 0 ? 1 : 2);
      int origin = random.nextInt(config.directories());
      BitSet matching = matches.matching(text);
      int[] results = network.resultsPerDirectory(matching);
      RoutedSearch.Outcome routed = search.search(origin, DigestQuery.of(text), results, q);
      int[] dist = flood.distances(origin);
      FloodMesh.Figures f3 = flood.flood(origin, 3);
      FloodMesh.Figures f99 = flood.flood(origin, ttl99);
      reached3 += f3.reached();
      reached99 += f99.reached();
      rows.add(
          new QueryRow(
              text,
              routed,
              f3.messages(),
              holdersWithin(results, dist, 3),
              f99.messages(),
              holdersWithin(results, dist, ttl99)));
    }
    double others = (double) config.queries() * (config.directories() - 1);
    ttl3Coverage = reached3 / others;
    ttl99Coverage = reached99 / others;
    queryNanos = System.nanoTime() - start;

    start = System.nanoTime();
    placement = new HomePlacement(network, 2);
    for (int i = 0; i < config.queries(); i++) {
      lookupMessages += placement.lookupMessages(random.nextInt(placement.contents()));
      lookups++;
    }
    for (int v = 0; v < config.victims(); v++) {
      deaths.add(placement.kill(random.nextInt(config.directories()), 20_000));
    }
    homeNanos = System.nanoTime() - start;
    return this;
  }

  /** One or two words of a shared name (terms of 3 characters or more), as a user types them. */
  private String queryText(Random random, int words) {
    while (true) {
      String name = names.get(network.randomShare(random));
      List<String> terms = new ArrayList<>();
      for (String t : SearchTerms.terms(name)) {
        if (t.length() >= 3 && !terms.contains(t)) {
          terms.add(t);
        }
      }
      if (terms.size() < words) {
        continue;
      }
      String first = terms.remove(random.nextInt(terms.size()));
      String text = words == 1 ? first : first + " " + terms.get(random.nextInt(terms.size()));
      try {
        SearchTerms.query(text);
        return text;
      } catch (IllegalArgumentException e) {
        // not a search the catalog takes: draw again
      }
    }
  }

  private static int holdersWithin(int[] results, int[] dist, int ttl) {
    int n = 0;
    for (int d = 0; d < results.length; d++) {
      if (results[d] > 0 && dist[d] <= ttl) {
        n++;
      }
    }
    return n;
  }

  static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  String markdown() {
    return new RouteReport(this).markdown();
  }
}
