package dev.swarmdex.bench;

import dev.swarmdex.engine.catalog.SearchTerms;
import dev.swarmdex.engine.routing.RendezvousHomes;
import dev.swarmdex.engine.watch.WatchRouting;
import dev.swarmdex.engine.watch.WatchTable;
import dev.swarmdex.protocol.HeldWatch;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.WatchHit;
import dev.swarmdex.protocol.WatchRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The {@code watch} simulation (issue 25): saved searches over a network of directories, with the
 * servers' own rendezvous rules ({@link WatchRouting}) and rendezvous tables ({@link WatchTable}),
 * only the transport replaced by counting. Subscriptions take one or two words of corpus names
 * (four characters or more, as people type them); publishes are other corpus names.
 */
final class WatchSim {
  /** What to simulate. */
  record Config(
      java.nio.file.Path corpus,
      int corpusLines,
      int directories,
      int subscriptions,
      int publishes,
      long seed,
      java.nio.file.Path markdown) {
    Config {
      if (directories < 2 || subscriptions < 1 || publishes < 1) {
        throw new IllegalArgumentException(
            "need --directories >= 2, --subscriptions >= 1, --publishes >= 1");
      }
    }
  }

  private final Config config;
  private final List<String> names;

  WatchSim(Config config, List<String> names) {
    this.config = config;
    this.names = names;
  }

  String run() {
    Random random = new Random(config.seed());
    List<String> ids = new ArrayList<>();
    for (int d = 0; d < config.directories(); d++) {
      ids.add("d" + d);
    }
    RendezvousHomes homes = RendezvousHomes.of(ids);
    Map<String, WatchTable> tables = new HashMap<>();
    long heapBefore = RouteRun.usedHeapAfterGc();
    long started = System.nanoTime();
    int saved = 0;
    while (saved < config.subscriptions()) {
      List<String> words = typed(names.get(random.nextInt(names.size())));
      if (words.isEmpty()) {
        continue;
      }
      Set<String> chosen = new LinkedHashSet<>();
      chosen.add(words.get(random.nextInt(words.size())));
      if (words.size() > 1 && random.nextBoolean()) {
        chosen.add(words.get(random.nextInt(words.size())));
      }
      String text = String.join(" ", chosen);
      String word = WatchRouting.rendezvousWord(text);
      HeldWatch held = new HeldWatch("p" + saved, "w" + saved, word, WatchRequest.of(text));
      String subscriber = ids.get(random.nextInt(ids.size()));
      for (String home : homes.homes(RendezvousHomes.wordKey(word), 2)) {
        tables
            .computeIfAbsent(home, h -> new WatchTable(Clock.systemUTC(), 3_600_000))
            .register(subscriber, List.of(held));
      }
      saved++;
    }
    long subscribeNanos = System.nanoTime() - started;
    long heapAfter = RouteRun.usedHeapAfterGc();
    Map<String, Set<Long>> watched = new HashMap<>();
    tables.forEach((home, table) -> watched.put(home, new HashSet<>(table.watchedKeys())));

    int[] sent = new int[config.publishes()];
    int[] naive = new int[config.publishes()];
    long notifyMessages = 0;
    long notified = 0;
    int publishesNotifying = 0;
    started = System.nanoTime();
    for (int p = 0; p < config.publishes(); p++) {
      String name = names.get(random.nextInt(names.size()));
      SharedFile file = new SharedFile(name, 1000, Sha256.of(String.format("%064x", p + 1)));
      Set<String> to =
          WatchRouting.targets(
              homes, 2, name, (home, key) -> watched.getOrDefault(home, Set.of()).contains(key));
      naive[p] = WatchRouting.targets(homes, 2, name, (home, key) -> true).size();
      sent[p] = to.size();
      Set<String> told = new HashSet<>();
      for (String home : to) {
        Map<String, List<WatchHit>> hits = tables.get(home).match(List.of(file), 1024);
        notifyMessages += hits.size();
        hits.values().forEach(list -> list.forEach(hit -> told.add(hit.watchId())));
      }
      notified += told.size();
      if (!told.isEmpty()) {
        publishesNotifying++;
      }
    }
    long publishNanos = System.nanoTime() - started;
    long published = Arrays.stream(sent).asLongStream().sum();
    Arrays.sort(sent);
    Arrays.sort(naive);
    long held =
        tables.values().stream()
            .mapToLong(t -> t.counts().values().stream().mapToLong(Integer::longValue).sum())
            .sum();
    StringBuilder out = new StringBuilder();
    out.append(String.format("## watch: saved searches (issue 25)%n%n"));
    out.append(
        String.format(
            "%,d directories, %,d subscriptions (1-2 words of corpus names, 2 rendezvous each:"
                + " %,d held at %,d directories), %,d publishes of corpus names; seed %d.%n%n",
            config.directories(),
            config.subscriptions(),
            held,
            tables.size(),
            config.publishes(),
            config.seed()));
    out.append("| figure | value |\n|---|---|\n");
    row(
        out,
        "`published` messages a publish, p50 / p99 / mean",
        String.format(
            "%d / %d / %.2f",
            sent[sent.length / 2],
            sent[(int) (sent.length * 0.99)],
            published / (double) sent.length));
    row(
        out,
        "every word's rendezvous instead (not sent), p50 / p99",
        String.format("%d / %d", naive[naive.length / 2], naive[(int) (naive.length * 0.99)]));
    row(
        out,
        "publishes that notify someone",
        String.format("%,d of %,d", publishesNotifying, config.publishes()));
    row(out, "notifications (distinct search x content)", String.format("%,d", notified));
    row(
        out,
        "`notify` messages (one per subscriber directory per rendezvous)",
        String.format("%,d", notifyMessages));
    row(
        out,
        "messages a notification ((published + notify) / notifications)",
        notified == 0
            ? "-"
            : String.format("%.2f", (published + notifyMessages) / (double) notified));
    row(
        out,
        "rendezvous heap a subscription (both copies)",
        String.format("%,d bytes", (heapAfter - heapBefore) / config.subscriptions()));
    row(
        out,
        "time: subscribe / publish",
        String.format(
            "%.1f s / %.1f s (%.0f us a publish)",
            subscribeNanos / 1e9, publishNanos / 1e9, publishNanos / 1e3 / config.publishes()));
    return out.toString();
  }

  private static void row(StringBuilder out, String figure, String value) {
    out.append("| ").append(figure).append(" | ").append(value).append(" |\n");
  }

  /** The words of {@code name} a person would type: whole terms of four characters or more. */
  private static List<String> typed(String name) {
    List<String> out = new ArrayList<>();
    for (String term : new LinkedHashSet<>(SearchTerms.terms(name))) {
      if (term.length() >= 4 && !out.contains(term)) {
        out.add(term);
      }
    }
    return out;
  }
}
