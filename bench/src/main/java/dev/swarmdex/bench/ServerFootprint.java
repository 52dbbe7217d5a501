package dev.swarmdex.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the index server process holds at one moment: its live heap (used after a full GC, through
 * {@code jcmd PID GC.run} and {@code GC.heap_info}) and the bytes of its catalog folder on disk.
 * Taken before and after publishing, the differences divided by the entries are the cost of one
 * entry.
 *
 * @param heapBytes heap in use right after a full GC
 * @param catalogBytes bytes of the files under the data folder's {@code catalog}
 */
record ServerFootprint(long heapBytes, long catalogBytes) {
  private static final Pattern USED = Pattern.compile("\\bused (\\d+)K");

  /** The footprint of the server process {@code pid} with data folder {@code data}. */
  static ServerFootprint take(long pid, Path data) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    long heap = heapUsed(jcmd(pid, "GC.heap_info"));
    return new ServerFootprint(heap, CatalogRun.sizeOnDisk(data.resolve("catalog")));
  }

  /** The bytes "used" in the first heap line of {@code GC.heap_info} output. */
  static long heapUsed(String heapInfo) {
    Matcher m = USED.matcher(heapInfo);
    if (!m.find()) {
      throw new IllegalStateException("no 'used NK' in jcmd GC.heap_info output: " + heapInfo);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process =
        new ProcessBuilder(
                Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }
}
