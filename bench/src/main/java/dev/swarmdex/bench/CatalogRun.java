package dev.swarmdex.bench;

import dev.swarmdex.engine.catalog.Catalog;
import dev.swarmdex.protocol.PublishWait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process half of {@code publish-search}: the index server's own {@link Catalog}, opened in
 * this JVM on a fresh folder, takes the same publishes (same peers, same chunks, as many threads)
 * and answers the same queries from as many client threads, with no HTTP, JSON or session lookup in
 * between. Set beside the HTTP figures of the same run, it shows what the server's layers around
 * the catalog cost.
 */
final class CatalogRun {
  private static final Logger log = LoggerFactory.getLogger(CatalogRun.class);

  /**
   * What the in-process run measured: the publish's rate and CPU are its median round's ({@link
   * #median}), the call times those of all rounds, {@code entriesHeld} what the catalog held after
   * the last.
   */
  record Figures(
      long entriesHeld,
      int calls,
      Percentiles callLatency,
      List<PublishRound> rounds,
      long warmupEntries,
      long warmupNanos,
      long catalogBytes,
      List<SearchRun.Figures> searches,
      List<Double> cachedShares) {
    Figures {
      rounds = List.copyOf(rounds);
      if (rounds.isEmpty()) {
        throw new IllegalArgumentException("no measured rounds");
      }
      searches = List.copyOf(searches);
      cachedShares = List.copyOf(cachedShares);
    }

    /** The median round ({@link PublishRound#median}): the figures' rate and CPU. */
    PublishRound median() {
      return rounds.get(PublishRound.median(rounds));
    }
  }

  /** Longest wait for the in-process catalog's merges before its searches. */
  private static final Duration MERGE_WAIT = Duration.ofMinutes(5);

  private final int threads;
  private final PublishWait wait;

  /** Publishes from {@code threads} threads, each call returning when {@code wait} says. */
  CatalogRun(int threads, PublishWait wait) {
    this.threads = threads;
    this.wait = wait;
  }

  /**
   * Publishes each of {@code warmupRounds} as other peers ({@code bench-warmup-N}) into a catalog
   * in a fresh folder under {@code parent} and removes those peers again after each (the JIT
   * warm-up of the publish path, as over HTTP) and waits for the merges this started, then
   * publishes {@code plans} (as {@link PublishPlan#plan} cut them) {@code rounds} times (removing
   * those peers and waiting for the merges before each round after the first, as over HTTP), then
   * runs {@code jitWarmup} from {@code jitClients} threads once, then {@code warmup} and {@code
   * queries} for every client count; the folder is deleted afterwards.
   */
  Figures run(
      Path parent,
      List<List<PublishPlan.Call>> plans,
      int rounds,
      List<List<List<PublishPlan.Call>>> warmupRounds,
      List<Integer> clientCounts,
      int jitClients,
      List<String> jitWarmup,
      List<String> warmup,
      List<String> queries)
      throws IOException, InterruptedException {
    Path folder = Files.createTempDirectory(parent, "swarmdex-catalog-bench");
    try (Catalog catalog = Catalog.open(folder.resolve("catalog"))) {
      long warmupEntries = 0;
      long warmupNanos = 0;
      for (List<List<PublishPlan.Call>> warmupPlans : warmupRounds) {
        log.info("Warming up the in-process publish path: {} peers", warmupPlans.size());
        long warmupStart = System.nanoTime();
        publish(catalog, "bench-warmup-", warmupPlans, new long[countCalls(warmupPlans)], 0);
        warmupNanos += System.nanoTime() - warmupStart;
        warmupEntries += catalog.totals().files();
        removeAll(catalog, "bench-warmup-", warmupPlans.size(), "the warm-up's peers were removed");
      }
      if (!warmupRounds.isEmpty() && !catalog.awaitMerges(MERGE_WAIT)) {
        log.warn("The warm-up's merges were still running after {}", MERGE_WAIT);
      }
      int calls = countCalls(plans);
      long[] callNanos = new long[calls * rounds];
      CpuClock cpu = CpuClock.thisProcess();
      CpuClock jit = CpuClock.compilerThreads(ProcessHandle.current().pid());
      List<PublishRound> each = new ArrayList<>(rounds);
      int done = 0;
      for (int r = 0; r < rounds; r++) {
        if (r > 0) {
          removeAll(
              catalog,
              "bench-",
              plans.size(),
              "the measured peers were removed for round " + (r + 1));
          awaitMerges(catalog);
        }
        log.info(
            "Publishing in-process: {} calls from {} threads, round {} of {}",
            calls,
            threads,
            r + 1,
            rounds);
        long cpuBefore = cpu.nanos();
        long jitBefore = jit.nanos();
        long start = System.nanoTime();
        done += publish(catalog, "bench-", plans, callNanos, done);
        long nanos = System.nanoTime() - start;
        each.add(
            new PublishRound(
                catalog.totals().files(),
                nanos,
                PublishRun.difference(cpuBefore, cpu.nanos()),
                PublishRun.difference(jitBefore, jit.nanos())));
      }
      // The merges the publishes started go on after them: the server's finish during the JIT
      // warm-up over HTTP, these are waited for, so that neither side's timed searches share the
      // cores with them.
      awaitMerges(catalog);
      long held = catalog.totals().files();

      List<SearchRun.Figures> searched = new ArrayList<>();
      List<Double> cached = new ArrayList<>();
      SearchRun searching =
          new SearchRun(
              (c, query) -> !catalog.search(query).hits().isEmpty(),
              () -> -1,
              CpuClock.compilerThreads(ProcessHandle.current().pid()));
      if (!jitWarmup.isEmpty()) {
        searching.warmUp(jitClients, jitWarmup);
      }
      for (int clients : clientCounts) {
        long[] before = catalog.cacheCounters();
        searched.add(searching.run(clients, warmup, queries));
        long[] after = catalog.cacheCounters();
        long hits = after[0] - before[0];
        long lookups = hits + after[1] - before[1];
        cached.add(lookups == 0 ? 0 : (double) hits / lookups);
      }
      // Measured after the searches, as the server's folder is: files a merge replaced go only when
      // the searcher that still reads them has been replaced.
      long bytes = sizeOnDisk(folder);
      return new Figures(
          held,
          calls,
          Percentiles.of(java.util.Arrays.copyOf(callNanos, done)),
          each,
          warmupEntries,
          warmupNanos,
          bytes,
          searched,
          cached);
    } finally {
      deleteAll(folder);
    }
  }

  /**
   * Removes the peers {@code prefix}0 to {@code prefix}{@code count - 1}; fails when the catalog
   * still holds entries then (what came after would be measured on a catalog in an unknown state).
   */
  private static void removeAll(Catalog catalog, String prefix, int count, String after) {
    for (int p = 0; p < count; p++) {
      catalog.removePeer(prefix + p);
    }
    long left = catalog.totals().files();
    if (left != 0) {
      throw new IllegalStateException(
          "the in-process catalog holds " + left + " entries after " + after);
    }
  }

  private static void awaitMerges(Catalog catalog) throws InterruptedException {
    long start = System.nanoTime();
    boolean merged = catalog.awaitMerges(MERGE_WAIT);
    log.info(
        "Merges {} after {} ms",
        merged ? "done" : "still running",
        (System.nanoTime() - start) / 1_000_000);
  }

  private static int countCalls(List<List<PublishPlan.Call>> plans) {
    return plans.stream().mapToInt(List::size).sum();
  }

  /**
   * Makes the calls of {@code plans} from the pool, each peer named {@code prefix} and its number;
   * fills {@code callNanos} from {@code from} on with each call's time and returns how many calls
   * were made.
   */
  private int publish(
      Catalog catalog,
      String prefix,
      List<List<PublishPlan.Call>> plans,
      long[] callNanos,
      int from)
      throws InterruptedException {
    AtomicInteger done = new AtomicInteger(from);
    List<Runnable> publishes = new ArrayList<>(plans.size());
    for (List<PublishPlan.Call> plan : plans) {
      publishes.add(
          () -> {
            for (PublishPlan.Call call : plan) {
              String peer = prefix + call.peer();
              long start = System.nanoTime();
              if (call.full()) {
                catalog.replace(peer, call.files(), wait);
              } else {
                catalog.apply(peer, call.files(), List.of(), wait);
              }
              callNanos[done.getAndIncrement()] = System.nanoTime() - start;
            }
          });
    }
    runAll(publishes);
    return done.get() - from;
  }

  private void runAll(List<Runnable> tasks) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>(tasks.size());
      for (Runnable task : tasks) {
        futures.add(pool.submit(task));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("an in-process publish failed", e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Bytes of the regular files under {@code folder}. */
  static long sizeOnDisk(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0; // deleted by a merge while we walked
                }
              })
          .sum();
    }
  }

  private static void deleteAll(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
