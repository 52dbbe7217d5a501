package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.PublishWait;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchMainTest {
  @Test
  void everyDocumentedPublishSearchFlagIsAccepted() {
    PublishSearchConfig config =
        BenchMain.parse(
            new String[] {"--server", "http://127.0.0.1:1", "--leave", "true", "--entries", "10"});
    assertTrue(config.leave(), "--leave is documented in the usage text, so it must parse");
    assertTrue(config.inProcess(), "the in-process run is on unless turned off");
    assertEquals(java.util.List.of(1, 16, 256), config.clients());
    assertEquals(SearchRun.Client.LEAN, config.httpClient(), "the lean search client by default");
    assertEquals(100_000, config.jitWarmup(), "the JIT warm-up is on unless turned off");
    assertEquals(4_000_000, config.publishWarmup(), "the publish warm-up is on unless turned off");
    assertEquals(32, config.publishers(), "32 publish calls in flight unless told otherwise");
    assertEquals(
        PublishWait.ACCEPTED,
        config.publishWait(),
        "publishes answer once accepted unless told otherwise, as agents' republishes do");
    assertEquals(
        PublishWait.SEARCHABLE,
        BenchMain.parse(
                new String[] {"--server", "http://127.0.0.1:1", "--publish-wait", "searchable"})
            .publishWait());
    IllegalArgumentException wait =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BenchMain.parse(
                    new String[] {"--server", "http://127.0.0.1:1", "--publish-wait", "soon"}));
    assertEquals("--publish-wait must be searchable or accepted, not soon", wait.getMessage());
    assertEquals(
        8,
        BenchMain.parse(new String[] {"--server", "http://127.0.0.1:1", "--publishers", "8"})
            .publishers());
    assertEquals(
        0,
        BenchMain.parse(new String[] {"--server", "http://127.0.0.1:1", "--publish-warmup", "0"})
            .publishWarmup());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            BenchMain.parse(
                new String[] {"--server", "http://127.0.0.1:1", "--publish-warmup", "-1"}));
    for (String bad : List.of("10000001", "abc", "99999999999")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  BenchMain.parse(
                      new String[] {"--server", "http://127.0.0.1:1", "--publish-warmup", bad}));
      assertTrue(e.getMessage().contains("--publish-warmup"), bad + ": " + e.getMessage());
    }
    assertEquals(5, config.publishRounds(), "the median of five measured publishes by default");
    assertEquals(
        1,
        BenchMain.parse(new String[] {"--server", "http://127.0.0.1:1", "--publish-rounds", "1"})
            .publishRounds());
    for (String bad : List.of("0", "21", "x")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  BenchMain.parse(
                      new String[] {"--server", "http://127.0.0.1:1", "--publish-rounds", bad}));
      assertTrue(e.getMessage().contains("--publish-rounds"), bad + ": " + e.getMessage());
    }
    assertEquals(
        0,
        BenchMain.parse(new String[] {"--server", "http://127.0.0.1:1", "--jit-warmup", "0"})
            .jitWarmup());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            BenchMain.parse(new String[] {"--server", "http://127.0.0.1:1", "--jit-warmup", "-1"}));
    assertEquals(
        SearchRun.Client.JETTY,
        BenchMain.parse(new String[] {"--server", "http://127.0.0.1:1", "--http-client", "jetty"})
            .httpClient());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            BenchMain.parse(new String[] {"--server", "http://127.0.0.1:1", "--http-client", "x"}));
    assertThrows(
        IllegalArgumentException.class,
        () -> BenchMain.parse(new String[] {"--server", "https://127.0.0.1:1"}),
        "the lean client speaks plain HTTP only");
    PublishSearchConfig measured =
        BenchMain.parse(
            new String[] {
              "--server", "http://127.0.0.1:1",
              "--in-process", "false",
              "--server-pid", "42",
              "--server-data", "/tmp/data"
            });
    assertTrue(measured.measuresFootprint());
    assertTrue(!measured.inProcess());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            BenchMain.parse(new String[] {"--server", "http://127.0.0.1:1", "--server-pid", "42"}),
        "a pid without the data folder cannot measure the catalog");
    assertThrows(
        IllegalArgumentException.class,
        () -> BenchMain.parse(new String[] {"--server", "http://127.0.0.1:1", "--bogus", "1"}));
  }

  @Test
  void fetchAndTransferReportParseTheirFlags() {
    FetchRun.Config fetch =
        BenchMain.parseFetch(
            new String[] {
              "--server",
              "http://127.0.0.1:1",
              "--sha256",
              "a".repeat(64),
              "--sources",
              "4",
              "--out",
              "/tmp/f",
              "--samples",
              "/tmp/s",
              "--bind",
              "127.0.0.1"
            });
    assertEquals(4, fetch.sources());
    assertEquals(3, fetch.rounds());
    assertEquals("swarmdex", fetch.client());
    assertThrows(
        IllegalArgumentException.class,
        () -> BenchMain.parseFetch(new String[] {"--server", "http://127.0.0.1:1"}));
    assertThrows(
        IllegalArgumentException.class,
        () -> BenchMain.parseFetch(new String[] {"--sha256", "xyz"}));
    TransferReportCommand.Config report =
        BenchMain.parseTransferReport(
            new String[] {"--samples", "/tmp/s", "--mode", "swarm", "--rate-kib", "20480"});
    assertEquals(20480, report.rateKib());
    assertThrows(
        IllegalArgumentException.class,
        () -> BenchMain.parseTransferReport(new String[] {"--samples", "/tmp/s", "--mode", "x"}));
  }
}
