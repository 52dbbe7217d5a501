package dev.swarmdex.engine.catalog;

import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.stream.Stream;

/**
 * Runs the publish and search paths on a throwaway catalog before a directory takes its first peer,
 * so that the JIT compiler has compiled them when every peer publishes at once (a restart). A fresh
 * JVM spent a quarter of that storm's CPU compiling and most of the rest in code not yet compiled:
 * 38 us of CPU an entry against 14 once warm (issue 26). JDK 17 keeps no compiled code across
 * restarts, so the directory makes its own: made-up names in the shapes of real ones (words,
 * numbers, camelCase, versions, extensions), published as peers republish (lists of 1,000, decoded
 * from JSON, accepted without waiting), from as many threads as there are cores, then searched for.
 * The catalog's folder is deleted after.
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

  /** What a warm-up did: entries published, searches made, and how long it took. */
  public record Done(long entries, long searches, Duration took) {}

  /**
   * Publishes up to {@code entries} made-up entries and then searches them, in a catalog in a new
   * folder under {@code scratch}, stopping early at {@code budget}; deletes the folder. {@code
   * scratch} must be this process's own (a directory's locked data folder): the folders an earlier
   * warm-up left there (a killed process) are deleted first.
   *
   * @throws IOException when the folder cannot be made or the catalog not opened
   */
  public static Done run(Path scratch, int entries, Duration budget) throws IOException {
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
    try (Catalog catalog = Catalog.open(folder.resolve("catalog"))) {
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
              published.addAndGet(LIST);
            }
          });
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
    return new Done(published.get(), searched.get(), Duration.ofNanos(System.nanoTime() - start));
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
