package dev.swarmdex.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The routed search on the wire: new fields old readers skip, and asks checked on arrival. */
class RouteWireTest {
  @Test
  void stoppedEarlyIsWrittenAndAnOlderAnswerWithoutItReadsAsFalse() {
    SearchResponse early = new SearchResponse(List.of(), 3, 0, 7, true);
    String json = new String(Json.write(early), UTF_8);
    assertEquals(
        "{\"results\":[],\"total\":3,\"offset\":0,\"directories\":7,\"stoppedEarly\":true}", json);
    assertEquals(early, Json.readAnswer(json.getBytes(UTF_8), SearchResponse.class));
    SearchResponse old =
        Json.readAnswer(
            "{\"results\":[],\"total\":0,\"offset\":0,\"directories\":1}".getBytes(UTF_8),
            SearchResponse.class);
    assertEquals(false, old.stoppedEarly());
  }

  @Test
  void anOlderSupernodesCountersReadWithTheRoutedOnesAtZero() {
    QueryCounters old =
        Json.read(
            "{\"received\":1,\"forwarded\":2,\"duplicates\":3,\"hits\":4}".getBytes(UTF_8),
            QueryCounters.class);
    assertEquals(new QueryCounters(1, 2, 3, 4, 0L, 0L, 0L), old);
    QueryCounters now = new QueryCounters(1, 2, 3, 4, 5L, 6L, 32_768L);
    assertEquals(now, Json.read(Json.write(now), QueryCounters.class));
    assertThrows(IllegalArgumentException.class, () -> new QueryCounters(0, 0, 0, 0, -1L, 0L, 0L));
  }

  @Test
  void savedSearchCountsTravelAndAnOlderReportReadsThemAsZero() {
    QueryCounters old =
        Json.read(
            "{\"received\":1,\"forwarded\":2,\"duplicates\":3,\"hits\":4,\"routed\":5,"
                .concat("\"routeMessages\":6,\"digestBytes\":7}")
                .getBytes(UTF_8),
            QueryCounters.class);
    assertEquals(0L, old.watchesSaved());
    assertEquals(0L, old.watchesHeld());
    QueryCounters now = old.withWatches(3, 5);
    assertEquals(now, Json.read(Json.write(now), QueryCounters.class));
    assertEquals(3L, now.watchesSaved());
    assertEquals(5L, now.watchesHeld());
    assertThrows(IllegalArgumentException.class, () -> old.withWatches(-1, 0));
  }

  @Test
  void aRouteAskIsCheckedOnArrival() {
    RouteAsk ask = new RouteAsk("hey jude", 7, 127);
    assertEquals(ask, Json.read(Json.write(ask), RouteAsk.class));
    for (String bad :
        List.of(
            "{\"text\":\"a\",\"bits\":15,\"group\":0}",
            "{\"text\":\"a\",\"bits\":2,\"group\":4}",
            "{\"text\":\"a\",\"bits\":2,\"group\":-1}",
            "{\"text\":\" \",\"bits\":2,\"group\":0}",
            "{\"text\":\"" + "a".repeat(Limits.MAX_QUERY_CHARS + 1) + "\",\"bits\":2,\"group\":0}",
            "{\"bits\":2,\"group\":0}")) {
      assertThrows(
          MalformedJsonException.class, () -> Json.read(bad.getBytes(UTF_8), RouteAsk.class), bad);
    }
    RouteAnswer answer = new RouteAnswer(List.of(new RouteAnswer.Member("s1", 30)));
    assertEquals(answer, Json.readAnswer(Json.write(answer), RouteAnswer.class));
    StringBuilder many = new StringBuilder("{\"members\":[");
    for (int i = 0; i <= RouteAnswer.MAX_MEMBERS; i++) {
      many.append(i == 0 ? "" : ",").append("{\"id\":\"s").append(i).append("\",\"entries\":0}");
    }
    String tooMany = many.append("]}").toString();
    MalformedJsonException e =
        assertThrows(
            MalformedJsonException.class,
            () -> Json.readAnswer(tooMany.getBytes(UTF_8), RouteAnswer.class));
    assertTrue(e.getMessage().contains("1024"), e.getMessage());
  }
}
