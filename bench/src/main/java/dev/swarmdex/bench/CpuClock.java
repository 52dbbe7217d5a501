package dev.swarmdex.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time a process has used so far, in nanoseconds: this JVM's (all threads) or another process's
 * from {@code /proc/PID/stat}. Read before and after a measured run, it tells what each search cost
 * each side in CPU, which a shared machine's wall-clock figures blur.
 */
interface CpuClock {
  /** CPU nanoseconds used so far, or -1 when they cannot be read. */
  long nanos();

  /** This JVM's CPU time. */
  static CpuClock thisProcess() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean bean) {
      return bean::getProcessCpuTime;
    }
    return () -> -1;
  }

  /**
   * The CPU time (user and system) of process {@code pid}, from {@code /proc/PID/stat} in clock
   * ticks of 10 ms (Linux's USER_HZ of 100); -1 elsewhere.
   */
  static CpuClock process(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    return () -> {
      try {
        return ticks(Files.readString(stat)) * 10_000_000L;
      } catch (IOException | RuntimeException e) {
        return -1;
      }
    };
  }

  /**
   * The CPU time of process {@code pid}'s JIT compiler threads (those Linux names {@code C1
   * CompilerThre} and {@code C2 CompilerThre}), from {@code /proc/PID/task/TID/stat}; -1 elsewhere.
   * Against the process's whole CPU time over a measured run, it tells whether the warm-up was long
   * enough: a JVM still compiling the search path spends a share of the cores on that, which a
   * server running for days does not.
   *
   * <p>The JVM starts and ends compiler threads as its queue grows and shrinks (on machines with
   * more cores), so the clock follows each thread by its id: every reading adds what each thread
   * used since the previous one (all of it for a thread new since then). A thread that ends takes
   * with it only what it used since the last reading, so the figure may fall short, never over, and
   * never goes back. Not thread-safe: one reader.
   */
  static CpuClock compilerThreads(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    PerThread compilers = new PerThread();
    return () -> {
      Map<String, Long> now = new HashMap<>();
      try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
        for (Path thread : threads) {
          try {
            if (Files.readString(thread.resolve("comm")).contains("CompilerThre")) {
              now.put(
                  thread.getFileName().toString(), ticks(Files.readString(thread.resolve("stat"))));
            }
          } catch (IOException e) {
            // the thread ended between the listing and the read
          }
        }
      } catch (IOException | RuntimeException e) {
        return -1;
      }
      return compilers.add(now) * 10_000_000L;
    };
  }

  /** CPU ticks of a changing set of threads, followed by thread id from reading to reading. */
  final class PerThread {
    private final Map<String, Long> seen = new HashMap<>();
    private long total;

    /**
     * Adds a reading (thread id to its ticks so far) and returns the ticks used in all: each
     * thread's growth since the previous reading, or all of a thread new since then.
     */
    long add(Map<String, Long> reading) {
      for (Map.Entry<String, Long> thread : reading.entrySet()) {
        total += Math.max(0, thread.getValue() - seen.getOrDefault(thread.getKey(), 0L));
      }
      seen.clear();
      seen.putAll(reading);
      return total;
    }
  }

  /** utime + stime of one {@code /proc/PID/stat} line (fields 14 and 15). */
  static long ticks(String stat) {
    // The command name (field 2) is in parentheses and may hold spaces: count after its end.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
