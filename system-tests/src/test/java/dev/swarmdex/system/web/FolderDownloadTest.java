package dev.swarmdex.system.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.Json;
import dev.swarmdex.system.Network;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer shares nested folders; another browses it through the index server (from its web UI's API)
 * and sees every visible file with its relative folder, never a hidden one or an absolute path,
 * then downloads the folder "Music" whole: the files land under its shared folder in the same
 * folders. Hostile folder orders are 400 JSON and write nothing.
 */
class FolderDownloadTest {
  @TempDir static Path root;
  static AgentUiNetwork live;
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static String cookie;
  static String csrf;
  static Path seedDir;

  record File(String name, long size, String sha256, String treeRoot, String folder) {}

  record Listing(String peer, List<File> files, int total, boolean complete) {}

  record Queued(
      String peer, String folder, int queued, int refused, List<Map<String, Object>> transfers) {}

  record Error(String error, String code) {}

  @BeforeAll
  static void start() throws Exception {
    seedDir = root.resolve("seed");
    write("top.txt", 1_000);
    write("Music/Live/Opening.flac", 300_000);
    write("Music/Live/Encore/Last Song.flac", 200_000);
    write("Music/Studio/Take 1.flac", 150_000);
    write("Docs/readme.txt", 2_000);
    write(".hidden/secret.txt", 100);
    write("Music/.git/config", 100);
    live = AgentUiNetwork.start(root, seedDir);
    HttpResponse<String> login = send("GET", live.ui.url().toString(), null);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    cookie = setCookie.substring(0, setCookie.indexOf(';'));
    csrf =
        (String)
            Json.read(send("GET", "/api/session", null).body().getBytes(), Map.class)
                .get("csrfToken");
  }

  static void write(String path, int size) throws Exception {
    Path file = seedDir.resolve(path);
    Network.writeFile(file.getParent(), file.getFileName().toString(), size);
  }

  @AfterAll
  static void stop() {
    if (live != null) {
      live.close();
    }
  }

  static HttpResponse<String> send(String method, String path, String body) throws Exception {
    URI uri = path.startsWith("http") ? URI.create(path) : live.uiBase().resolve(path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    if (csrf != null) {
      request.header("X-CSRF-Token", csrf);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String seedId() {
    return live.seed.credentials().orElseThrow().peerId();
  }

  static Listing browse() throws Exception {
    HttpResponse<String> response = send("GET", "/api/peers/" + seedId() + "/files", null);
    assertEquals(200, response.statusCode(), response.body());
    return Json.read(response.body().getBytes(), Listing.class);
  }

  @Test
  void browsingShowsEachFilesRelativeFolderAndDownloadingAFolderRecreatesIt() throws Exception {
    assertTrue(
        Network.eventually(Duration.ofSeconds(20), () -> live.seed.isJoined() && total() == 5),
        "the seed published its five visible files");
    Listing listing = browse();
    Set<String> shown =
        listing.files().stream()
            .map(f -> (f.folder() == null ? "" : f.folder() + "/") + f.name())
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(
        new TreeSet<>(
            List.of(
                "top.txt",
                "Docs/readme.txt",
                "Music/Live/Opening.flac",
                "Music/Live/Encore/Last Song.flac",
                "Music/Studio/Take 1.flac")),
        shown);
    assertTrue(listing.complete());
    assertEquals("top.txt", listing.files().get(0).name(), "the root's files come first");

    HttpResponse<String> queued =
        send("POST", "/api/peers/" + seedId() + "/downloads", "{\"folder\":\"Music\"}");
    assertEquals(202, queued.statusCode(), queued.body());
    assertEquals(3, Json.read(queued.body().getBytes(), Queued.class).queued());

    Path mine = root.resolve("mine");
    List<String> wanted =
        List.of(
            "Music/Live/Opening.flac",
            "Music/Live/Encore/Last Song.flac",
            "Music/Studio/Take 1.flac");
    assertTrue(
        Network.eventually(
            Duration.ofSeconds(30),
            () -> wanted.stream().allMatch(p -> Files.isRegularFile(mine.resolve(p)))),
        "every file of Music arrived in its folder");
    for (String path : wanted) {
      assertArrayEquals(
          Files.readAllBytes(seedDir.resolve(path)), Files.readAllBytes(mine.resolve(path)), path);
    }
    assertFalse(Files.exists(mine.resolve("top.txt")), "only the folder asked for");
    assertFalse(Files.exists(mine.resolve("Docs")), "only the folder asked for");
  }

  private static int total() {
    try {
      return browse().total();
    } catch (Exception | AssertionError e) {
      return -1;
    }
  }

  @Test
  void hostileFolderOrdersAre400JsonAndWriteNothing() throws Exception {
    String[] folders = {"../../etc", "/etc", "Music/../..", ".hidden", "a//b", "C:\\\\Windows"};
    for (String folder : folders) {
      HttpResponse<String> response =
          send(
              "POST",
              "/api/peers/" + seedId() + "/downloads",
              "{\"folder\":" + Json.writeString(folder) + "}");
      assertEquals(400, response.statusCode(), folder + ": " + response.body());
      Error error = error(response);
      assertEquals("bad_request", error.code());
      assertTrue(error.error().startsWith("folder "), error.error());
    }
    HttpResponse<String> badPeer = send("GET", "/api/peers/..%2F..%2Fx/files", null);
    assertEquals(400, badPeer.statusCode(), badPeer.body());
    HttpResponse<String> nobody = send("GET", "/api/peers/nobody-here/files", null);
    assertEquals(404, nobody.statusCode(), nobody.body());
    error(nobody);
    assertFalse(Files.exists(root.resolve("etc")));
    assertFalse(Files.exists(root.resolve("mine").resolve(".hidden")));
  }

  static Error error(HttpResponse<String> response) {
    assertEquals(
        "application/json", response.headers().firstValue("Content-Type").orElse(""), "JSON");
    return Json.read(response.body().getBytes(), Error.class);
  }
}
