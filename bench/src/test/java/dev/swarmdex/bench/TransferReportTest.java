package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.bench.TransferSamples.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferReportTest {
  private static final long GB = 1_000_000_000L;

  @Test
  void transferSetsThePeerOverNginxRatioOfTheMediansBesideItsGoal() {
    TransferSamples samples =
        new TransferSamples(
            List.of(
                new Sample("curl-peer", 1, 1, GB, 2.0),
                new Sample("curl-nginx", 1, 1, GB, 1.0),
                new Sample("curl-peer", 1, 2, GB, 1.0),
                new Sample("curl-nginx", 1, 2, GB, 1.0),
                new Sample("curl-peer", 1, 3, GB, 1.25),
                new Sample("curl-nginx", 1, 3, GB, 1.0)));
    String md = TransferReport.transfer(samples);
    assertTrue(md.contains("| curl from the peer agent | 3 | 0.50, 1.00, 0.80 | **0.80** |"), md);
    assertTrue(md.contains("| curl from nginx | 3 | 1.00, 1.00, 1.00 | **1.00** |"), md);
    assertTrue(md.contains("ratio of the medians): 0.80** (goal at least 1.0: **not met**)"), md);
    assertTrue(md.contains("round by round 0.50, 1.00, 0.80."), md);
  }

  @Test
  void swarmReportsSpeedUpsAgainstOneSourceAndTheirGoals() {
    TransferSamples samples =
        new TransferSamples(
            List.of(
                new Sample("swarmdex", 1, 1, 1 << 20, 8.0),
                new Sample("swarmdex", 2, 1, 1 << 20, 4.0),
                new Sample("swarmdex", 4, 1, 1 << 20, 2.5)));
    String md = TransferReport.swarm(samples, 1 << 20);
    assertTrue(md.contains("| 2 | 1 | 4.00 | 4.00 | 0.3 | **2.00x** | ≥ 1.9x | 2.0 |"), md);
    assertTrue(md.contains("2 sources 2.00x (goal at least 1.9x: met)"), md);
    assertTrue(md.contains("4 sources 3.20x (goal at least 3.8x: **not met**)"), md);
  }

  @Test
  void numbersHaveTheGivenDecimalsAndThousandsSeparators() {
    assertEquals("1,234.57", TransferReport.fixed(1234.567, 2));
    assertEquals("(goal at least 1.0: met)", TransferReport.verdict(1.0, 1.0, ""));
  }
}
