package dev.swarmdex.engine.catalog;

import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Runs the publish and search paths on a throwaway catalog before a directory takes its first peer,
 * so that the JIT compiler has compiled them when every peer publishes at once (a restart). A fresh
 * JVM spent a quarter of that storm's CPU compiling and most of the rest in code not yet compiled:
 * 38 us of CPU an entry against 14 once warm (issue 26). JDK 17 keeps no compiled code across
 * restarts, so the directory makes its own: made-up names in the shapes of real ones (words,
 * numbers, camelCase, versions, extensions), published as peers republish (lists of 1,000, decoded
 * from JSON, accepted without waiting), from as many threads as there are cores, merged into one
 * segment as a storm's quiet merge does, then searched for; then it waits until the compiler has
 * been idle for {@link #COMPILER_IDLE}, all within the budget. The catalog's folder is deleted
 * after.
 *
 * <pre>{@code
 * CatalogWarmUp.Done done = CatalogWarmUp.run(dataFolder, 30_000, Duration.ofSeconds(15));
 * }</pre>
 */
public final class CatalogWarmUp {
  /** How the warm-up's folders are named. */
  static final String PREFIX = "warm-up-";

  /** Entries a made-up peer publishes at once, as a real list is sent. */
  static final int LIST = 1_000;

  private static final String[] WORDS = {
    "live",
    "remix",
    "mix",
    "feat",
    "edit",
    "radio",
    "version",
    "album",
    "track",
    "disc",
    "the",
    "love",
    "night",
    "dance",
    "song",
    "dream",
    "blue",
    "summer",
    "music",
    "theme",
    "piano",
    "guitar",
    "suite",
    "sonata",
    "concert",
    "symphony",
    "op",
    "no",
    "vol",
    "part",
    "intro",
    "lib",
    "linux",
    "kernel",
    "python",
    "java",
    "doc",
    "share",
    "usr",
    "bin",
    "src",
    "test",
    "data",
    "image",
    "photo",
    "video",
    "movie",
    "season",
    "episode",
    "ubuntu",
    "debian",
    "amd64",
    "x86",
    "release",
    "final",
    "setup",
    "install",
    "manual",
    "guide",
    "book",
    "chapter",
    "report"
  };

  private static final String[] EXTENSIONS = {
    "mp3", "flac", "ogg", "mkv", "avi", "mp4", "jpg", "png", "pdf", "txt", "zip", "tar.gz", "iso",
    "deb", "so", "py", "java", "html", "epub", "srt"
  };

  private CatalogWarmUp() {}

  /**
   * What a warm-up did: entries published, merges of them into one segment, searches made, and how
   * long it took.
   */
  public record Done(long entries, long merges, long searches, Duration took) {}

  /**
   * Publishes up to {@code entries} made-up entries and then searches them, in a catalog in a new
   * folder under {@code scratch}, stopping early at {@code budget}; deletes the folder. {@code
   * scratch} must be this process's own (a directory's locked data folder): the folders an earlier
   * warm-up left there (a killed process) are deleted first.
   *
   * @throws IOException when the folder cannot be made or the catalog not opened
   */
  public static Done run(Path scratch, int entries, Duration budget) throws IOException {
    return run(scratch, entries, budget, name -> {});
  }

  /**
   * {@link #run(Path, int, Duration)}, handing every made-up name published to {@code names} too
   * (from several threads at once), so that the caller warms what a directory does with a publish's
   * names beyond its catalog (its keyword digest).
   */
  public static Done run(Path scratch, int entries, Duration budget, Consumer<String> names)
      throws IOException {
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    try (Stream<Path> earlier = Files.list(scratch)) {
      earlier
          .filter(path -> path.getFileName().toString().startsWith(PREFIX))
          .forEach(CatalogWarmUp::delete);
    }
    Path folder = Files.createTempDirectory(scratch, PREFIX);
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger published = new AtomicInteger();
    AtomicInteger searched = new AtomicInteger();
    long merged = 0;
    // Merged as soon as the publishing stops: a restart's storm is flushed and merged beside the
    // publishing, and its merge code was compiled during the storm too (issue 26).
    QuietMerge.Settings merging =
        new QuietMerge.Settings(Duration.ofMillis(100), 0.1, Long.MAX_VALUE, Duration.ZERO);
    try (Catalog catalog =
        Catalog.open(folder.resolve("catalog"), Catalog.MAX_BEHIND, Catalog.HEAL_EVERY, merging)) {
      int lists = Math.max(1, entries / LIST);
      AtomicInteger next = new AtomicInteger();
      run(
          pool,
          threads,
          thread -> {
            SplittableRandom random = new SplittableRandom(thread);
            for (int list = next.getAndIncrement();
                list < lists && System.nanoTime() < deadline;
                list = next.getAndIncrement()) {
              List<SharedFile> files = new ArrayList<>(LIST);
              for (int i = 0; i < LIST; i++) {
                files.add(file(random));
              }
              // Through JSON, as a publish arrives: decoding and each file's checks run too.
              FileList sent = Json.read(Json.write(new FileList(files)), FileList.class);
              catalog.replace("warm-up-" + list, sent.files(), PublishWait.ACCEPTED);
              for (SharedFile file : sent.files()) {
                names.accept(file.name());
              }
              published.addAndGet(LIST);
            }
          });
      long left = deadline - System.nanoTime();
      try {
        if (left > 0) {
          catalog.awaitMerges(Duration.ofNanos(left));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("warm-up interrupted", e);
      }
      merged = catalog.quietMerges();
      run(
          pool,
          threads,
          thread -> {
            SplittableRandom random = new SplittableRandom(~thread);
            for (int i = 0; i < entries / 20 / threads && System.nanoTime() < deadline; i++) {
              catalog.search(SearchQuery.of(query(random)));
              searched.incrementAndGet();
            }
          });
    } finally {
      pool.shutdownNow();
      delete(folder);
    }
    // The compiler works through a queue: what the warm-up gave it last was still being compiled
    // during the storm (seconds of C2 time, issue 26), so wait until it has been idle a while.
    awaitIdle(CatalogWarmUp::compilerMillis, COMPILER_IDLE, deadline);
    return new Done(
        published.get(), merged, searched.get(), Duration.ofNanos(System.nanoTime() - start));
  }

  /** How long the JIT compiler's total time must stand still to count as idle. */
  static final Duration COMPILER_IDLE = Duration.ofMillis(700);

  /**
   * Waits until {@code total} (a running total of work done, in ms) has not moved for {@code idle},
   * or until {@code deadline} ({@link System#nanoTime()}); true when it went idle.
   */
  static boolean awaitIdle(LongSupplier total, Duration idle, long deadline) {
    long last = total.getAsLong();
    long stillSince = System.nanoTime();
    while (System.nanoTime() - deadline < 0) {
      if (last < 0 || System.nanoTime() - stillSince >= idle.toNanos()) {
        return last >= 0;
      }
      try {
        Thread.sleep(Math.max(1, Math.min(50, idle.toMillis() / 4)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      long now = total.getAsLong();
      if (now != last) {
        last = now;
        stillSince = System.nanoTime();
      }
    }
    return false;
  }

  /** The JIT compiler's total time so far in ms, or -1 when the JVM does not tell it. */
  private static long compilerMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : -1;
  }

  private interface Work {
    void run(int thread) throws Exception;
  }

  private static void run(ExecutorService pool, int threads, Work work) throws IOException {
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      running.add(
          pool.submit(
              () -> {
                work.run(thread);
                return null;
              }));
    }
    try {
      for (Future<?> future : running) {
        future.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("warm-up interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("warm-up failed: " + e.getCause(), e.getCause());
    }
  }

  /** A made-up file in one of the shapes real names take. */
  static SharedFile file(SplittableRandom random) {
    String a = word(random);
    String b = word(random);
    String c = word(random);
    int n = random.nextInt(1, 100);
    String ext = EXTENSIONS[random.nextInt(EXTENSIONS.length)];
    String name =
        switch (random.nextInt(5)) {
          case 0 -> capital(a) + " - " + capital(b) + " " + capital(c) + " (" + n + ")." + ext;
          case 1 -> a + "_" + b + "-" + n + "." + random.nextInt(10) + "." + ext;
          case 2 -> capital(a) + capital(b) + capital(c) + n + "." + ext;
          case 3 -> "lib" + a + "-" + b + n + "." + ext;
          default -> n + ". " + capital(a) + " " + b + " " + c + " " + word(random) + "." + ext;
        };
    byte[] sha = new byte[32];
    for (int i = 0; i < sha.length; i++) {
      sha[i] = (byte) random.nextInt(256);
    }
    return new SharedFile(name, random.nextLong(1, 1L << 32), Sha256.ofDigest(sha));
  }

  /** One to three words, the last often typed in part. */
  static String query(SplittableRandom random) {
    StringBuilder text = new StringBuilder(word(random));
    for (int i = random.nextInt(3); i > 0; i--) {
      text.append(' ').append(word(random));
    }
    if (random.nextBoolean()) {
      text.setLength(Math.max(2, text.length() - random.nextInt(3)));
    }
    return text.toString();
  }

  /** A common word, or now and then a made-up one (rare words have short postings). */
  private static String word(SplittableRandom random) {
    if (random.nextInt(4) > 0) {
      return WORDS[random.nextInt(WORDS.length)];
    }
    StringBuilder made = new StringBuilder();
    for (int i = random.nextInt(3, 9); i > 0; i--) {
      made.append((char) ('a' + random.nextInt(26)));
    }
    return made.toString();
  }

  private static String capital(String word) {
    return word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
  }

  private static void delete(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(CatalogWarmUp::deleteOne);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteOne(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
