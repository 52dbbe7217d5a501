package dev.swarmdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog's folder on a real 2 MiB tmpfs that the test fills up (and remounts read-only):
 * publishes answer 503, {@code /ready} says why, and once space is back the index heals by itself
 * and the peer's entries come back through its rejoin and republish. Needs root to mount.
 */
class FullDiskTest {
  @TempDir Path dir;
  private final List<Path> mounts = new ArrayList<>();

  @AfterEach
  void unmount() throws Exception {
    for (Path mount : mounts) {
      run("umount", "-l", mount.toString());
    }
  }

  @Test
  void aFullDiskAnswers503AndTheIndexHealsOnceSpaceIsBack() throws Exception {
    Path data = dir.resolve("data");
    Path catalog = mountTmpfs(data.resolve("catalog"));
    Config config =
        Config.defaults().withAddress("127.0.0.1", 0).withDataDir(data).withRateLimit(0);
    try (IndexServer server = IndexServer.start(config);
        ApiClient api = ApiClient.create(server.uri(), null);
        ServerSocket peerPort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      HttpClient http = HttpClient.newHttpClient();
      JoinRequest hello = new JoinRequest("disk-peer", peerPort.getLocalPort(), 0);
      JoinResponse joined = api.join(hello, null);
      Credentials peer = new Credentials(joined.peerId(), joined.token());
      List<SharedFile> before = List.of(file("before fault song.mp3"));
      api.publish(peer, new FileList(before));
      assertEquals(1, api.search(SearchQuery.of("fault song")).results().size());
      assertEquals(200, get(http, server, "/ready").statusCode());

      Path filler = catalog.resolve("filler");
      fill(filler);
      List<SharedFile> more = List.of(file("before fault song.mp3"), file("during fault.mp3"));
      HttpResponse<String> refused = publishUntilRefused(http, server, peer, more);
      assertEquals(503, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("\"code\":\"unavailable\""), refused.body());
      assertTrue(refused.body().contains("the index cannot be written"), refused.body());
      assertTrue(refused.headers().firstValue("Retry-After").isPresent());
      HttpResponse<String> ready = get(http, server, "/ready");
      assertEquals(503, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains("index"), ready.body());
      assertEquals(200, get(http, server, "/health").statusCode());

      Files.delete(filler);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (get(http, server, "/ready").statusCode() != 200) {
        assertTrue(System.nanoTime() < deadline, "the index did not heal within 30 s");
        Thread.sleep(200);
      }
      // The rebuilt index lost the entries: the peer's next heartbeat tells it to rejoin, and it
      // republishes what it shares, as a peer agent does.
      ApiException rejoin =
          org.junit.jupiter.api.Assertions.assertThrows(
              ApiException.class, () -> api.heartbeat(peer));
      assertEquals(409, rejoin.status());
      JoinResponse again = api.join(hello, peer);
      Credentials back = new Credentials(again.peerId(), again.token());
      api.publish(back, new FileList(more));
      assertEquals(1, api.search(SearchQuery.of("fault song")).results().size());
      assertEquals(1, api.search(SearchQuery.of("during fault")).results().size());
      assertEquals(200, get(http, server, "/ready").statusCode());
    }
  }

  @Test
  void startingOnAReadOnlyFolderExitsWithOneLine() throws Exception {
    Path data = dir.resolve("data");
    Path catalog = mountTmpfs(data.resolve("catalog"));
    assertEquals(0, run("mount", "-o", "remount,ro", catalog.toString()));
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                IndexServerMain.class.getName(),
                "--port",
                "0",
                "--data",
                data.toString(),
                "--db",
                "jdbc:h2:mem:readonly")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertNotEquals(0, process.exitValue());
    List<String> lines = stderr.lines().filter(line -> line.startsWith("error")).toList();
    assertEquals(1, lines.size(), stderr);
    assertTrue(lines.get(0).contains("Read-only file system"), stderr);
    assertFalse(stderr.contains("\tat "), stderr);
  }

  private Path mountTmpfs(Path mount) throws Exception {
    Files.createDirectories(mount);
    int status = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString());
    assumeTrue(status == 0, "cannot mount a tmpfs (not root?): skipping the real disk faults");
    mounts.add(mount);
    return mount;
  }

  private static HttpResponse<String> publishUntilRefused(
      HttpClient http, IndexServer server, Credentials peer, List<SharedFile> files)
      throws Exception {
    String body = Json.writeString(new FileList(files));
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(server.uri() + "/api/v1/peers/" + peer.peerId() + "/files"))
            .header("Authorization", "Bearer " + peer.token())
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    // Lucene may take the first write into memory; a later one, or its refresh, meets the disk.
    for (int i = 0; i < 20 && answer.statusCode() == 200; i++) {
      Thread.sleep(100);
      answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    }
    return answer;
  }

  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      // the tmpfs is full
    }
  }

  private static HttpResponse<String> get(HttpClient http, IndexServer server, String path)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.uri() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static SharedFile file(String name) throws Exception {
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
    return new SharedFile(name, 1000 + name.length(), Sha256.ofDigest(digest));
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
