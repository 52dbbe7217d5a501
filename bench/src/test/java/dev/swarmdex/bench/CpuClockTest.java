package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuClockTest {
  @Test
  void theCompilerThreadsOfThisJvmHaveUsedSomeOfItsCpu() {
    long pid = ProcessHandle.current().pid();
    long compilers = CpuClock.compilerThreads(pid).nanos();
    long all = CpuClock.process(pid).nanos();

    // By the time a test runs, the JIT has compiled JUnit's and this module's hot methods.
    assertTrue(compilers > 0, "compiler threads' CPU: " + compilers);
    assertTrue(compilers <= all, compilers + " ns of compiling within " + all + " ns in all");
  }

  @Test
  void compilerThreadsThatComeAndGoNeitherCountTwiceNorTakeTimeBack() {
    CpuClock.PerThread ticks = new CpuClock.PerThread();
    assertEquals(15, ticks.add(Map.of("11", 10L, "12", 5L)));
    assertEquals(17, ticks.add(Map.of("11", 12L)), "12 ended: what it used stays counted");
    assertEquals(20, ticks.add(Map.of("11", 12L, "13", 3L)), "13 is new: all of its 3 count");
    assertEquals(20, ticks.add(Map.of()), "none left: the total does not go back");
  }

  @Test
  void aProcessThatIsNotThereHasNoCompilerTime() {
    assertEquals(-1, CpuClock.compilerThreads(Long.MAX_VALUE).nanos());
    assertEquals(-1, CpuClock.process(Long.MAX_VALUE).nanos());
  }

  @Test
  void ticksAreUserPlusSystemTimeAfterTheCommandName() {
    String stat = "42 (C2 CompilerThre) S 1 1 1 0 -1 4194368 0 0 0 0 125 7 0 0 20 0 1 0";
    assertEquals(132, CpuClock.ticks(stat));
  }
}
