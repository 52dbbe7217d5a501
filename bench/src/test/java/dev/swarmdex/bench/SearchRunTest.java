package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchRunTest {
  private static final List<String> WARMUP = List.of("found warm", "missing warm");

  /** 12 that find something, 12 that do not, 6 the server refuses. */
  private static List<String> queries() {
    List<String> queries = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      queries.addAll(List.of("found " + i, "missing " + i, "found chunked " + i));
      queries.addAll(List.of("missing chunked " + i, "bad " + i));
    }
    return queries;
  }

  @Test
  void bothHttpClientsCountTheSameAnswersAndErrors() throws Exception {
    for (SearchRun.Client client : SearchRun.Client.values()) {
      try (SearchApiStub server = SearchApiStub.start()) {
        SearchRun.Figures figures =
            SearchRun.overHttp(server.uri(), client, () -> -1, () -> -1, 3, WARMUP, queries());

        assertEquals(24, figures.searches(), client + ": searches answered");
        assertEquals(12, figures.withResults(), client + ": searches with results");
        assertEquals(6, figures.errors(), client + ": refused searches");
        assertEquals(32, server.requests().size(), client + ": warm-up and measured searches");
      }
    }
  }

  @Test
  void theJitWarmUpSendsEveryQueryOnceFromItsOwnConnections() throws Exception {
    for (SearchRun.Client client : SearchRun.Client.values()) {
      try (SearchApiStub server = SearchApiStub.start()) {
        SearchRun.warmUpOverHttp(server.uri(), client, 3, queries());

        assertEquals(30, server.requests().size(), client + ": every warm-up query, once");
        if (client == SearchRun.Client.LEAN) {
          assertEquals(3, server.connections(), "one connection per warm-up client");
        }
      }
    }
  }

  @Test
  void theLeanClientGivesEachClientThreadItsOwnConnection() throws Exception {
    try (SearchApiStub server = SearchApiStub.start()) {
      SearchRun.overHttp(
          server.uri(), SearchRun.Client.LEAN, () -> -1, () -> -1, 4, WARMUP, queries());

      assertEquals(4, server.connections());
    }
  }
}
