package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code search-ab} against two real HTTP servers ({@link SearchApiStub}) measured as one pid. */
class SearchAbTest {
  @Test
  void eachServerAnswersTheWarmUpAndEveryBatchAndTheReportHasEachRoundAndServer() throws Exception {
    try (SearchApiStub first = SearchApiStub.start();
        SearchApiStub second = SearchApiStub.start()) {
      long pid = ProcessHandle.current().pid();
      SearchAb ab =
          new SearchAb(
              new SearchAb.Config(
                  List.of(
                      new SearchAb.Server(first.uri(), pid),
                      new SearchAb.Server(second.uri(), pid)),
                  3,
                  20,
                  4,
                  10));
      String report = ab.run(queries("warm", 10), queries("measured", 60));

      assertEquals(70, first.requests().size(), "the warm-up and three batches of 20");
      assertEquals(
          sorted(first.requests()), sorted(second.requests()), "both answered the same searches");
      assertTrue(
          first.requests().subList(0, 10).stream().allMatch(request -> request.contains("q=warm")),
          "the warm-up first: " + first.requests());
      for (int round = 1; round <= 3; round++) {
        assertTrue(report.contains("\n| " + round + " |"), report);
      }
      assertTrue(report.contains("server 1 " + first.uri()), report);
      assertTrue(report.contains("server 2 " + second.uri()), report);
    }
  }

  @Test
  void theMedianOfAnEvenNumberIsTheMeanOfTheMiddleTwo() {
    assertEquals(2.0, SearchAb.median(new double[] {3, 1, 2}));
    assertEquals(2.5, SearchAb.median(new double[] {4, 1, 3, 2}));
  }

  @Test
  void aServerWithoutItsPidIsRefused() {
    assertEquals(2, BenchMain.run(new String[] {"search-ab", "--servers", "http://127.0.0.1:1"}));
  }

  private static List<String> queries(String word, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(word + i);
    }
    return out;
  }

  private static List<String> sorted(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    copy.sort(null);
    return copy;
  }
}
