package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.bench.TransferSamples.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferSamplesTest {
  @Test
  void medianIsTheMiddleOrTheMeanOfTheMiddleTwo() {
    assertEquals(2.0, TransferSamples.median(3, 1, 2));
    assertEquals(2.5, TransferSamples.median(4, 1, 3, 2));
    assertEquals(7.0, TransferSamples.median(7));
    assertTrue(Double.isNaN(TransferSamples.median()));
  }

  @Test
  void aLineReadsBackAsTheSampleThatWroteIt() {
    Sample sample = new Sample("curl-nginx", 1, 2, 1L << 30, 0.912);
    assertEquals(sample, TransferSamples.parseLine(sample.line()));
    assertEquals((1L << 30) / 0.912, sample.bytesPerSecond(), 1e-6);
  }

  @Test
  void badLinesAreRefusedWithWhatWasWrong() {
    assertThrows(IllegalArgumentException.class, () -> TransferSamples.parseLine("curl 1 1 10"));
    assertThrows(IllegalArgumentException.class, () -> TransferSamples.parseLine("curl 1 1 x 1"));
    assertThrows(IllegalArgumentException.class, () -> TransferSamples.parseLine("curl 0 1 10 1"));
    assertThrows(IllegalArgumentException.class, () -> TransferSamples.parseLine("curl 1 1 10 0"));
  }

  @Test
  void samplesOfOneClientAndSourceCountComeInRoundOrder() {
    TransferSamples samples =
        new TransferSamples(
            List.of(
                new Sample("swarmdex", 2, 2, 10, 2),
                new Sample("swarmdex", 1, 1, 10, 4),
                new Sample("swarmdex", 2, 1, 10, 1)));
    assertEquals(List.of(1, 2), samples.of("swarmdex", 2).stream().map(Sample::round).toList());
    assertEquals(1.5, TransferSamples.medianSeconds(samples.of("swarmdex", 2)));
  }
}
