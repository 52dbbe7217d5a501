package dev.swarmdex.supernode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supernode started on a data folder it cannot write (here a real tmpfs remounted read-only)
 * exits with one clear line, as the index server does, not a stack trace.
 */
class ReadOnlyStartTest {
  @TempDir Path dir;
  private Path mounted;

  @AfterEach
  void unmount() throws Exception {
    if (mounted != null) {
      run("umount", mounted.toString());
    }
  }

  @Test
  void startingOnAReadOnlyFolderExitsWithOneLine() throws Exception {
    Path data = dir.resolve("data");
    Path catalog = Files.createDirectories(data.resolve("catalog"));
    int status = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", catalog.toString());
    assumeTrue(status == 0, "cannot mount a tmpfs (not root?): skipping the read-only start");
    mounted = catalog;
    assertEquals(0, run("mount", "-o", "remount,ro", catalog.toString()));
    Path credentials =
        Files.writeString(
            dir.resolve("sn.json"), "{\"peerId\":\"p0123456789abcdef01\",\"token\":\"secret\"}");
    Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));

    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SupernodeMain.class.getName(),
                "--index",
                "http://127.0.0.1:1",
                "--credentials",
                credentials.toString(),
                "--port",
                "0",
                "--data",
                data.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the supernode exits");
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertNotEquals(0, process.exitValue());
    List<String> lines = stderr.lines().filter(line -> line.startsWith("error")).toList();
    assertEquals(1, lines.size(), stderr);
    assertTrue(lines.get(0).contains("Read-only file system"), stderr);
    assertFalse(stderr.contains("\tat "), stderr);
  }

  private static int run(String... command) throws Exception {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor();
    } catch (IOException e) {
      return -1;
    }
  }
}
