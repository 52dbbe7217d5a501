package dev.swarmdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One data folder, one index server: a second one started on it (which on the embedded database
 * would fight the first over its files and its index) exits with one clear line naming the folder
 * and the first one's process; the folder is free again once the first stops, even by kill -9.
 */
class SecondServerTest {
  @TempDir Path data;

  @Test
  void aSecondServerOnTheSameFolderIsRefusedInOneLine() throws Exception {
    try (IndexServer first = IndexServer.start(config())) {
      Process second = main().start();
      assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second server exits");
      String stderr = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertNotEquals(0, second.exitValue());
      List<String> lines = stderr.lines().filter(line -> line.startsWith("error")).toList();
      assertEquals(1, lines.size(), stderr);
      assertTrue(
          lines.get(0).contains("another index server is using the data folder " + data), stderr);
      assertTrue(lines.get(0).contains("process " + ProcessHandle.current().pid()), stderr);
      assertFalse(stderr.contains("\tat "), stderr);
      assertEquals(200, health(first), "the first one serves on");
    }
  }

  @Test
  void theFolderIsFreeOnceItsServerIsKilled() throws Exception {
    Process owner = main().start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertTrue(line != null && line.startsWith("Swarmdex index server on"), String.valueOf(line));
      owner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    try (IndexServer next = IndexServer.start(config())) {
      assertEquals(200, health(next));
    }
  }

  private static int health(IndexServer server) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    return http.send(
            HttpRequest.newBuilder(server.uri().resolve("/health")).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private Config config() {
    return Config.defaults().withAddress("127.0.0.1", 0).withDataDir(data).withRateLimit(0);
  }

  private ProcessBuilder main() {
    return new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp",
        System.getProperty("java.class.path"),
        IndexServerMain.class.getName(),
        "--port",
        "0",
        "--data",
        data.toString());
  }
}
