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
                16,
                1000,
                1_000_000_000L,
                Percentiles.NONE,
                900,
                0,
                150_000_000L,
                400_000_000L,
                20_000_000L),
            new SearchRun.Figures(
                256, 1000, 1_000_000_000L, Percentiles.NONE, 900, 0, 150_000_000L, -1, -1));

    String markdown = report.markdown();
    assertTrue(
        markdown.contains("HTTP search client (`--http-client jetty`): one Jetty"), markdown);
    assertTrue(markdown.contains("| 0.400, 0.150 | 5.0% |"), "JIT 20 of 400 ms: " + markdown);
    assertTrue(markdown.contains("| n/a, 0.150 | n/a |"), "a server CPU not measured: " + markdown);
    assertTrue(markdown.contains("and 100,000 from 16 clients before the first"), markdown);
    String text = report.text();
    assertTrue(text.contains("--http-client jetty: one Jetty"), text);
    assertTrue(text.contains("0.400 0.150"), text);
  }

  @Test
  void theInProcessTableSetsHttpBesideTheCatalogAndShowsHowManyAnswersCameFromTheCache() {
    SearchRun.Figures http =
        new SearchRun.Figures(
            16,
            1000,
            1_000_000_000L,
            Percentiles.NONE,
            900,
            0,
            40_000_000L,
            380_000_000L,
            19_000_000L);
    SearchRun.Figures local =
        new SearchRun.Figures(
            16, 1000, 500_000_000L, Percentiles.NONE, 900, 0, 260_000_000L, -1, 0);
    CatalogRun.Figures inProcess =
        new CatalogRun.Figures(
            2_000_000_000L, 1000, 10, Percentiles.NONE, 100_000, List.of(local), List.of(0.625));
    Report base = report("lean", http);
    Report report =
        new Report(
            base.config(),
            base.corpus(),
            0,
            0,
            base.publish(),
            base.afterPublish(),
            List.of(http),
            0,
            0,
            -1,
            null,
            inProcess);

    String markdown = report.markdown();
    assertTrue(markdown.contains("answered from the result cache"), markdown);
    assertTrue(
        markdown.contains("| 16 | 1,000 | 2,000 | **0.50** (goal 0.8: not met) |"), markdown);
    assertTrue(markdown.contains("| 0.380, 0.040, 0.260 | 90.0% | 62.5% | 5.0%, 0.0% |"), markdown);
    assertTrue(report.text().contains("in-process answered from the cache 62.5%"), report.text());
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
