package dev.swarmdex.bench;

import dev.swarmdex.bench.TransferSamples.Sample;
import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Times the peer agent's own {@link Downloader} fetching one content, as {@code get} does (locate
 * at the directory, then every source at once, each chunk and the whole file verified), {@code
 * rounds} times in this JVM, and appends one {@link Sample} a round to a samples file. It waits
 * first until the directory lists at least {@code sources} sources, and times only the fetch (not
 * the JVM's start).
 *
 * <pre>
 * java -jar swarmdex-bench.jar fetch --server http://127.0.0.1:8080 --sha256 HEX --sources 2 \
 *     --rounds 3 --out /tmp/x/file --samples /tmp/x/samples.tsv --client swarmdex
 * </pre>
 */
final class FetchRun {
  /** What to fetch, from where, how often, and where the timings go. */
  record Config(
      URI server,
      Sha256 sha256,
      int sources,
      int rounds,
      Path out,
      Path samples,
      String client,
      InetAddress bind,
      long waitMillis) {
    Config {
      if (server == null || sha256 == null || out == null || samples == null) {
        throw new IllegalArgumentException("--server, --sha256, --out and --samples are required");
      }
      if (sources < 1 || rounds < 1) {
        throw new IllegalArgumentException("--sources and --rounds must be at least 1");
      }
    }
  }

  private final Config config;

  FetchRun(Config config) {
    this.config = config;
  }

  /** Fetches the content {@code rounds} times and returns the samples, also appended to file. */
  List<Sample> run() throws IOException, InterruptedException {
    List<Sample> done = new ArrayList<>();
    try (ApiClient api = ApiClient.create(config.server(), config.bind());
        Downloader downloader = Downloader.create(config.bind())) {
      SearchResult located = awaitSources(api);
      for (int round = 1; round <= config.rounds(); round++) {
        Files.deleteIfExists(config.out());
        long start = System.nanoTime();
        Path file = downloader.fetch(api, config.sha256(), config.out());
        long nanos = System.nanoTime() - start;
        long bytes = Files.size(file);
        if (bytes != located.size()) {
          throw new IOException("fetched " + bytes + " bytes, expected " + located.size());
        }
        Sample sample = new Sample(config.client(), config.sources(), round, bytes, nanos / 1e9);
        done.add(sample);
        Files.writeString(
            config.samples(),
            sample.line() + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        System.out.printf(
            "%s, %d source(s), round %d: %,d bytes in %.3f s (%.1f MiB/s)%n",
            config.client(),
            config.sources(),
            round,
            bytes,
            sample.seconds(),
            sample.bytesPerSecond() / (1 << 20));
        Files.deleteIfExists(file);
      }
    }
    return done;
  }

  /** Locates the content until the directory lists at least the sources asked for. */
  private SearchResult awaitSources(ApiClient api) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + config.waitMillis() * 1_000_000;
    String last = "not located";
    while (true) {
      try {
        SearchResult located = api.locate(config.sha256());
        if (located.sources().size() == config.sources()) {
          return located;
        }
        last = located.sources().size() + " sources listed";
      } catch (ApiException e) {
        last = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "the directory did not list "
                + config.sources()
                + " sources of "
                + config.sha256()
                + " in time: "
                + last);
      }
      Thread.sleep(200);
    }
  }
}
