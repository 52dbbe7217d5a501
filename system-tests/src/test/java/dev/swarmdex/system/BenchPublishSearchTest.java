package dev.swarmdex.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.bench.BenchMain;
import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code publish-search} end to end, small: a real index server on a free port, a generated corpus
 * (so that it runs without {@code ../shared}), every phase of the command (join, publish, the
 * searchable probe, the publish and search JIT warm-ups, searches over HTTP, the in-process
 * catalog), and the Markdown section it appends.
 */
class BenchPublishSearchTest {
  private static final String[] WORDS = {
    "debian", "changelog", "python3", "kernel", "firmware", "locale", "icons", "hicolor"
  };
  private static final String[] ENDINGS = {".gz", ".png", ".py", ".mo", ".html", ".so.1"};

  @Test
  void theCommandPublishesSearchesAndWritesItsSection(@TempDir Path dir) throws Exception {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      String first = WORDS[i % WORDS.length];
      String second = WORDS[(i / WORDS.length) % WORDS.length];
      paths.add("usr/share/" + first + "/" + second + "_" + i + ENDINGS[i % ENDINGS.length]);
    }
    Path corpus = dir.resolve("paths.txt");
    Files.write(corpus, paths, StandardCharsets.UTF_8);
    Path markdown = dir.resolve("BENCHMARKS.md");
    Config config =
        Config.defaults()
            .withAddress("127.0.0.1", 0)
            .withDataDir(dir.resolve("data"))
            .withRateLimit(0)
            .withMaxPeersPerIp(0);

    int exit;
    try (IndexServer server = IndexServer.start(config)) {
      exit =
          BenchMain.run(
              new String[] {
                "publish-search",
                "--server",
                server.uri().toString(),
                "--corpus",
                corpus.toString(),
                "--entries",
                "2000",
                "--peers",
                "20",
                "--clients",
                "1,4",
                "--searches",
                "300",
                "--jit-warmup",
                "400",
                "--publish-warmup",
                "3000",
                "--publish-rounds",
                "2",
                "--markdown",
                markdown.toString()
              });
    }

    assertEquals(0, exit);
    String section = Files.readString(markdown);
    assertTrue(section.contains("### publish-search: 2,000 entries, 20 peers"), section);
    assertTrue(
        section.contains("| join 20 peers (on the fresh server, before any warm-up) |"), section);
    assertTrue(
        section.contains(
            "| entries published in a round (the median); calls that failed in all rounds | 2,000 in 20 calls; 0 failed |"),
        section);
    // The warm-up published the entries one and a half times: over HTTP the measured peers
    // themselves, emptying their lists after each round; in process other peers, removed after
    // each round. The server holds only the measured publish's entries, and both sides say what
    // the warm-up did.
    assertTrue(
        section.contains(
            "| entries the server holds after the last round | 2,000 (the answers sum to 2,000) |"),
        section);
    assertTrue(
        section.contains("| entries the catalog holds after the last round | 2,000 |"), section);
    // Two measured rounds on each side, each into an emptied catalog (the bench stops when the
    // emptied catalog still holds entries): the counts above are after the second, and each
    // round's figures are listed. Without the server's pid the bench cannot wait for a quiet
    // server between rounds, and says so.
    assertTrue(section.contains("- Measured publish: 2 rounds (`--publish-rounds 2`)"), section);
    assertTrue(section.contains("(no `--server-pid`), so no wait for it to go quiet"), section);
    assertTrue(
        section.matches(
            "(?s).*\\| each round: entries/s \\(server CPU an entry, its JIT compiler's share\\)"
                + " \\| [0-9,]+ \\([^)]*\\); [0-9,]+ \\([^)]*\\) \\|.*"),
        section);
    assertTrue(
        section.matches(
            "(?s).*\\| each round: entries/s \\(CPU of this JVM an entry, its JIT compiler's"
                + " share\\) \\| [0-9,]+ \\([^)]*\\); [0-9,]+ \\([^)]*\\) \\|.*"),
        section);
    assertTrue(
        section.contains("the same peers, rounds made as the measured ones | 3,000 entries, "),
        section);
    assertTrue(
        section.contains(
            "| before it, the warm-up: other peers published, then were removed |"
                + " 3,000 entries, "),
        section);
    assertTrue(section.contains("and 400 from 16 clients before the first"), section);
    // The publishes answered once accepted, and every sampled entry was then found by a search.
    assertTrue(section.contains("(`--publish-wait accepted`)"), section);
    assertTrue(
        section.matches(
            "(?s).*\\| searchable after the answer \\(all rounds\\): samples, found by the first"
                + " search, not found in 5 s \\| [1-9][0-9]*, [0-9]+, 0 \\|.*"),
        section);
    // Both client counts, every search answered and every one with results (the queries are
    // words of the published names), over HTTP and in process.
    assertTrue(section.contains("| 1 | 300 | **"), section);
    assertTrue(section.contains("| 4 | 300 | **"), section);
    assertTrue(section.contains("| 100.0% | 0 |"), "no search failed: " + section);
    assertTrue(section.contains("| entries/s, the median round (HTTP / in-process) |"), section);
    assertTrue(
        section.matches("(?s).*\\| 4 \\| [0-9,]+ \\| [0-9,]+ \\| \\*\\*[0-9.]+\\*\\*.*"), section);
  }
}
