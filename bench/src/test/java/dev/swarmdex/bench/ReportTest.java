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
            1000,
            10,
            Percentiles.NONE,
            List.of(
                new PublishRound(1000, 4_000_000_000L, 60_000_000L, 30_000_000L),
                new PublishRound(1000, 2_000_000_000L, 20_000_000L, 2_000_000L)),
            1000,
            4_000_000_000L,
            100_000,
            List.of(local),
            List.of(0.625));
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
    assertTrue(
        markdown.contains(
            "| CPU of this JVM per entry; its JIT compiler's share of it | 60.0 us; 50.0% |"),
        "the median of two rounds is the slower: " + markdown);
    assertTrue(
        markdown.contains("| entries/s, the median round (HTTP / in-process) | 250 ("), markdown);
    assertTrue(
        markdown.contains(
            "| before it, the warm-up: other peers published, then were removed | 1,000 entries,"
                + " 250 entries/s |"),
        markdown);
    assertTrue(
        markdown.contains(
            "| each round: entries/s (CPU of this JVM an entry, its JIT compiler's share) | 250"
                + " (60.0 us, 50.0%); 500 (20.0 us, 10.0%) |"),
        "every round, in the order run: " + markdown);
    assertTrue(markdown.contains("no sample searches) in 2 rounds as over HTTP"), markdown);
  }

  @Test
  void thePublishTableShowsTheServerCpuPerEntryAndTheColdWarmUpBeforeIt() {
    Report base = report("lean");
    PublishRun.Figures warm =
        new PublishRun.Figures(
            1000,
            1,
            0,
            1000,
            10,
            0,
            Percentiles.NONE,
            Percentiles.NONE,
            0,
            0,
            3_000_000L,
            1000,
            List.of(
                new PublishRound(1000, 200_000_000L, 50_000_000L, 25_000_000L),
                new PublishRound(1000, 100_000_000L, 25_000_000L, 5_000_000L),
                new PublishRound(1000, 50_000_000L, 20_000_000L, 1_000_000L)),
            new PublishRound(1000, 200_000_000L, 40_000_000L, 16_000_000L),
            new PublishRound(1000, 400_000_000L, 80_000_000L, 40_000_000L));
    Report report =
        new Report(
            base.config(),
            base.corpus(),
            0,
            0,
            warm,
            base.afterPublish(),
            List.of(),
            0,
            0,
            -1,
            null,
            null);

    String markdown = report.markdown();
    assertTrue(
        markdown.contains("| **entries/s accepted**, the median round | **10,000** |"), markdown);
    assertTrue(
        markdown.contains(
            "| CPU per entry accepted: server (its JIT compiler's share), the bench's publishing"
                + " clients | 25.0 us (20.0%), 3.0 us |"),
        markdown);
    assertTrue(
        markdown.contains(
            "the same peers, rounds made as the measured ones | 1,000 entries, 5,000 entries/s;"
                + " 40.0 us of server CPU an entry, 40.0% in its JIT compiler |"),
        markdown);
    assertTrue(
        markdown.contains(
            "| each round: entries/s (server CPU an entry, its JIT compiler's share) | 5,000 (50.0"
                + " us, 50.0%); 10,000 (25.0 us, 20.0%); 20,000 (20.0 us, 5.0%) |"),
        markdown);
    assertTrue(
        markdown.contains(
            "- Measured publish: 3 rounds (`--publish-rounds 5`), each into an empty"),
        "the rounds that ran, and the flag: " + markdown);
    assertTrue(
        report.text().contains("(the median of 3 rounds: 5,000 (50.0 us, 50.0%);"), report.text());
    assertTrue(
        report.text().contains("server CPU 25.0 us an entry accepted, 20.0% of it"), report.text());
    assertTrue(
        report
            .text()
            .contains(
                "cold: the fresh server's first round 2500 entries/s, 80.0 us of server CPU an"
                    + " entry, 50.0% of it in its JIT compiler"),
        "the cold round apart from the warm-up's sum: " + report.text());
    assertTrue(
        markdown.contains("to) | **2,500 entries/s**; 80.0 us of server CPU an entry, 50.0% in"),
        markdown);
    assertTrue(
        markdown.contains(
            "Before the measured publish, the same 1,000 peers published 1,000 entries in all"
                + " over HTTP (the measured entries, round after round, each round made as a"
                + " measured one: sample searches, lists emptied before the next)"
                + " (`--publish-warmup 4000000`)"),
        "what the warm-up published, not what was asked, and no in-process run: " + markdown);

    assertTrue(
        markdown.contains(
            "each publish answers once the server holds its entries, as peer agents republish"
                + " their lists after a rejoin (`--publish-wait accepted`)"),
        "the default wait is named: " + markdown);
    assertTrue(
        markdown.contains(
            "| answer to found (includes one search; a sample not found is searched again every"
                + " 50 ms) p50 / p99 |"),
        "how coarse the visibility figures are: " + markdown);

    String cold = report("lean").markdown();
    assertTrue(
        cold.contains("publishing clients | n/a (n/a), n/a |"),
        "a server CPU not measured: " + cold);
    assertTrue(
        cold.contains("No publish warm-up (`--publish-warmup 4000000`)"),
        "no warm-up ran, whatever the flag asked: " + cold);
  }

  private static Report report(String httpClient, SearchRun.Figures... searches) {
    PublishSearchConfig config =
        BenchMain.parse(
            new String[] {
              "--server", "http://127.0.0.1:1", "--http-client", httpClient, "--in-process", "false"
            });
    PublishRun.Figures published =
        new PublishRun.Figures(
            1,
            1,
            0,
            1,
            1,
            0,
            Percentiles.NONE,
            Percentiles.NONE,
            0,
            0,
            -1,
            1,
            List.of(new PublishRound(1, 1, -1, -1)),
            null,
            new PublishRound(1, 1, -1, -1));
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
