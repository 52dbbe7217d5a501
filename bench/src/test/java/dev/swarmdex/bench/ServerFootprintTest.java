package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerFootprintTest {
  @Test
  void heapInUseIsReadFromJcmdOutput() {
    String out =
        """
        12345:
         garbage-first heap   total 68608K, used 18833K [0x0000000080000000, 0x0000000100000000)
          region size 1024K, 3 young (3072K), 0 survivors (0K)
        """;
    assertEquals(18833L * 1024, ServerFootprint.heapUsed(out));
    assertThrows(IllegalStateException.class, () -> ServerFootprint.heapUsed("no such process"));
  }

  @Test
  void cpuTicksAreUserPlusSystemEvenWithSpacesInTheCommandName() {
    String stat =
        "4242 (java worker) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 1 2 3";
    assertEquals(325, CpuClock.ticks(stat));
  }

  @Test
  void thisJvmsCpuClockMovesForward() {
    CpuClock clock = CpuClock.thisProcess();
    long before = clock.nanos();
    double sink = 0;
    for (int i = 0; i < 5_000_000; i++) {
      sink += Math.sqrt(i);
    }
    assertTrue(sink > 0);
    assertTrue(clock.nanos() >= before, "CPU time never goes back");
  }
}
