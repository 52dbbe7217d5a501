package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.peer.PeerAgentConfig;
import dev.swarmdex.peer.serve.UploadLimits;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fair uploads seen from plain curl: a peer agent with one upload slot queues a second requester
 * while the slot is busy, and serves it correct bytes once the first one is gone.
 */
class FairUploadTest {
  @TempDir Path root;

  @Test
  void aPeerWithOneUploadSlotQueuesTheSecondRequesterAndServesItOnceTheSlotIsFree()
      throws Exception {
    Assumptions.assumeTrue(curlWorks(), "curl is not installed");
    try (Network network = new Network(root)) {
      network.startServer();
      Path shared = root.resolve("shared");
      Sha256 movie = sha(writeFile(shared, "Long Movie.mkv", 2 << 20));
      Sha256 song = sha(writeFile(shared, "Short Song.ogg", 100_000));
      // One slot, and 64 KiB/s to any one address: the movie holds the slot for half a minute.
      PeerAgent uploader =
          PeerAgent.start(
              new PeerAgentConfig(
                      network.serverUri(),
                      shared,
                      root.resolve("state-2"),
                      Network.address(2),
                      0,
                      "uploader",
                      Duration.ofMillis(500))
                  .withUploads(new UploadLimits(1, 0, 64 * 1024)));
      network.agents.add(uploader);
      ApiClient searcher = network.clientAt(3);
      String movieUrl = source(searcher, movie).url();
      String songUrl = source(searcher, song).url();
      assertTrue(movieUrl.startsWith("http://127.0.0.2:"), movieUrl);

      // 127.0.0.3 starts the long download...
      Path partial = root.resolve("movie.part");
      Process slow =
          new ProcessBuilder(
                  "curl", "-sS", "--interface", "127.0.0.3", "-o", partial.toString(), movieUrl)
              .redirectErrorStream(true)
              .start();
      try {
        assertTrue(
            eventually(Duration.ofSeconds(15), () -> sizeOf(partial) > 0), "the download started");

        // ...so 127.0.0.4 is told to wait, and where it stands.
        Curl busy = curl("127.0.0.4", songUrl, root.resolve("busy"));
        assertEquals(503, busy.status());
        assertTrue(busy.header("retry-after").matches("[1-9][0-9]*"), busy.headers().toString());
        assertEquals("1", busy.header("x-queue-position"));
        assertTrue(busy.body().contains("\"code\":\"busy\""), busy.body());
      } finally {
        slow.destroyForcibly(); // the first requester hangs up mid-way
        slow.waitFor(10, TimeUnit.SECONDS);
      }
      assertTrue(sizeOf(partial) < 2 << 20, "the movie was still downloading");

      // The slot is free again: curl gets the song, byte for byte.
      Path got = root.resolve("song");
      AtomicReference<Curl> last = new AtomicReference<>();
      assertTrue(
          eventually(
              Duration.ofSeconds(15),
              () -> {
                last.set(curl("127.0.0.4", songUrl, got));
                return last.get().status() == 200;
              }),
          () -> "still refused: " + last.get());
      assertEquals(song, sha(got));
    }
  }

  private static Source source(ApiClient searcher, Sha256 sha) throws InterruptedException {
    AtomicReference<SearchResult> found = new AtomicReference<>();
    assertTrue(
        eventually(
            Duration.ofSeconds(15),
            () -> {
              try {
                found.set(searcher.locate(sha));
                return !found.get().sources().isEmpty();
              } catch (ApiException e) {
                return false;
              }
            }),
        "the directory knows " + sha);
    return found.get().sources().get(0);
  }

  /** What curl saw: the status, the raw headers, the body as text (the file is at {@code out}). */
  record Curl(int status, List<String> headers, String body) {
    String header(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      return headers.stream()
          .filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
          .map(h -> h.substring(prefix.length()).trim())
          .findFirst()
          .orElse("");
    }
  }

  private static Curl curl(String from, String url, Path out) {
    try {
      Path headers = Path.of(out + ".headers");
      Process process =
          new ProcessBuilder(
                  "curl",
                  "-sS",
                  "--max-time",
                  "20",
                  "--interface",
                  from,
                  "-D",
                  headers.toString(),
                  "-o",
                  out.toString(),
                  "-w",
                  "%{http_code}",
                  url)
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("curl did not finish");
      }
      String body =
          Files.exists(out) ? new String(Files.readAllBytes(out), StandardCharsets.UTF_8) : "";
      return new Curl(
          Integer.parseInt(output.strip().substring(Math.max(0, output.strip().length() - 3))),
          Files.readAllLines(headers, StandardCharsets.ISO_8859_1),
          body.length() > 500 ? body.substring(0, 500) : body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean curlWorks() {
    try {
      return new ProcessBuilder("curl", "--version").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static long sizeOf(Path path) {
    try {
      return Files.exists(path) ? Files.size(path) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static Sha256 sha(Path file) throws Exception {
    return Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
