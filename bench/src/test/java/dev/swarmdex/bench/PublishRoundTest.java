package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PublishRoundTest {
  private static PublishRound round(long entriesPerSecond) {
    return new PublishRound(entriesPerSecond, 1_000_000_000L, 10, 1);
  }

  @Test
  void theMedianIsTheMiddleRoundByRateWhereverItRan() {
    // A cold first round, as the JIT compiler makes it, does not pull the median down.
    List<PublishRound> rounds =
        List.of(round(20_000), round(60_000), round(55_000), round(90_000), round(58_000));
    assertEquals(4, PublishRound.median(rounds));
    assertEquals(0, PublishRound.median(List.of(round(5))));
  }

  @Test
  void ofAnEvenNumberTheSlowerOfTheMiddleTwoCounts() {
    assertEquals(2, PublishRound.median(List.of(round(90), round(10), round(40), round(70))));
  }

  @Test
  void noRoundsHaveNoMedian() {
    assertThrows(IllegalArgumentException.class, () -> PublishRound.median(List.of()));
  }

  @Test
  void roundsAddUpAndAnUnreadClockStaysUnread() {
    PublishRound a = new PublishRound(100, 2_000_000_000L, 50, 5);
    PublishRound b = new PublishRound(300, 2_000_000_000L, -1, 7);
    assertEquals(new PublishRound(400, 4_000_000_000L, -1, 12), PublishRound.sum(a, b));
    assertEquals(b, PublishRound.sum(null, b));
    assertEquals(100.0, PublishRound.sum(a, b).rate());
    assertEquals(0.0, new PublishRound(5, 0, 0, 0).rate());
  }
}
