package dev.swarmdex.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.bench.BenchMain;
import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench churn}, short: four real agent processes against a real index server (heartbeats
 * every 30 s, timeout 90 s), one killed with SIGKILL and replaced every 3 s for 20 s, searches
 * counting stale and missing results. The 5-minute, 50-agent figure is in BENCHMARKS.md; here the
 * command must run end to end and killed agents must not linger in the results.
 */
class ChurnBenchTest {
  private static final Pattern STALE = Pattern.compile("stale: (\\d+) of (\\d+)");
  private static final Pattern MISSING = Pattern.compile("missing: (\\d+) of (\\d+)");
  private static final Pattern KILLED = Pattern.compile("(\\d+) killed");

  @Test
  void killedAgentsDoNotLingerInResults(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("churn.md");
    Config config =
        Config.defaults()
            .withAddress("127.0.0.1", 0)
            .withDataDir(dir.resolve("data"))
            .withTiming(Duration.ofSeconds(30), Duration.ofSeconds(90))
            .withRateLimit(0);
    int exit;
    try (IndexServer server = IndexServer.start(config)) {
      exit =
          BenchMain.run(
              new String[] {
                "churn",
                "--server",
                server.uri().toString(),
                "--agents",
                "4",
                "--seconds",
                "20",
                "--kill-every-ms",
                "3000",
                "--markdown",
                report.toString()
              });
    }
    assertEquals(0, exit);
    String text = Files.readString(report, StandardCharsets.UTF_8);
    System.out.print(text);
    assertTrue(number(KILLED, text, 1) >= 3, text);
    long pairs = number(STALE, text, 2);
    assertTrue(pairs > 0, "the searches found the agents' files: " + text);
    // Generous: a killed agent is hidden within milliseconds, while heartbeats alone (30 s, 90 s
    // timeout) would leave every one listed for the rest of the run.
    assertTrue(number(STALE, text, 1) * 20 <= pairs, "at most 5% stale: " + text);
    long expected = number(MISSING, text, 2);
    assertTrue(number(MISSING, text, 1) * 20 <= expected, "at most 5% missing: " + text);
  }

  private static long number(Pattern pattern, String text, int group) {
    Matcher found = pattern.matcher(text);
    assertTrue(found.find(), pattern + " in " + text);
    return Long.parseLong(found.group(group));
  }
}
