package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.Stats;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void theSearchTablesNameTheHttpClientAndShowTheCpuPerSearch() {
    Report report =
        report(
            "jetty",
            new SearchRun.Figures(
                16, 1000, 1_000_000_000L, Percentiles.NONE, 900, 0, 150_000_000L, 400_000_000L),
            new SearchRun.Figures(
                256, 1000, 1_000_000_000L, Percentiles.NONE, 900, 0, 150_000_000L, -1));

    String markdown = report.markdown();
    assertTrue(
        markdown.contains("HTTP search client (`--http-client jetty`): one Jetty"), markdown);
    assertTrue(markdown.contains("| 0.400, 0.150 |"), markdown);
    assertTrue(markdown.contains("| n/a, 0.150 |"), "a server CPU not measured: " + markdown);
    String text = report.text();
    assertTrue(text.contains("--http-client jetty: one Jetty"), text);
    assertTrue(text.contains("0.400 0.150"), text);
  }

  private static Report report(String httpClient, SearchRun.Figures... searches) {
    PublishSearchConfig config =
        BenchMain.parse(
            new String[] {
              "--server", "http://127.0.0.1:1", "--http-client", httpClient, "--in-process", "false"
            });
    PublishRun.Figures published =
        new PublishRun.Figures(1, 1, 0, 1, 1, 1, 0, 1, Percentiles.NONE, Percentiles.NONE, 0, 0);
    return new Report(
        config,
        new Corpus(List.of(), 0, 0),
        0,
        0,
        published,
        new Stats(1, 1, 1, 0, 1, null),
        List.of(searches),
        0,
        0,
        -1,
        null,
        null);
  }
}
