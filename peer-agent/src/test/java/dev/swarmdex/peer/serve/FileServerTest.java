package dev.swarmdex.peer.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareScanner;
import dev.swarmdex.protocol.BrowseResponse;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.SharedFile;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileServerTest {
  @TempDir Path dir;

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicInteger staleCalls = new AtomicInteger();
  private Path root;
  private byte[] content;
  private String sha;
  private FileServer server;

  @BeforeEach
  void start() throws Exception {
    root = Files.createDirectories(dir.resolve("share"));
    content = new byte[1000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i % 251);
    }
    Files.write(root.resolve("Grüße \"live\".bin"), content);
    Files.createDirectories(root.resolve("sub"));
    Files.writeString(root.resolve("sub/notes.txt"), "hello notes");
    sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    Share share = new ShareScanner(root, dir.resolve("state/hashes.json")).scan();
    server =
        FileServer.start(
            InetAddress.getLoopbackAddress(),
            0,
            new FileHandler(() -> share, () -> null, staleCalls::incrementAndGet));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static ErrorBody errorBody(HttpResponse<byte[]> response) {
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    return Json.read(response.body(), ErrorBody.class);
  }

  @Test
  void fullGetReturnsTheFileWithHeaders() throws Exception {
    HttpResponse<byte[]> response = get("/files/" + sha);

    assertEquals(200, response.statusCode());
    assertArrayEquals(content, response.body());
    assertEquals("\"" + sha + "\"", response.headers().firstValue("ETag").orElseThrow());
    assertTrue(response.headers().firstValue("Last-Modified").isPresent());
    assertEquals("bytes", response.headers().firstValue("Accept-Ranges").orElseThrow());
    String disposition = response.headers().firstValue("Content-Disposition").orElseThrow();
    assertTrue(disposition.startsWith("attachment; filename=\"Gr__e _live_.bin\""), disposition);
    assertTrue(
        disposition.contains("filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%22live%22.bin"), disposition);
    assertEquals(
        "application/octet-stream", response.headers().firstValue("Content-Type").orElseThrow());
  }

  @Test
  void aConditionalGetForTheSameFileIsNotModifiedNotAnError() throws Exception {
    HttpResponse<byte[]> response = get("/files/" + sha, "If-None-Match", "\"" + sha + "\"");

    assertEquals(304, response.statusCode(), new String(response.body()));
    assertEquals(0, response.body().length);
    assertEquals(200, get("/files/" + sha, "If-None-Match", "\"other\"").statusCode());
  }

  @Test
  void upperCaseShaWorksToo() throws Exception {
    assertEquals(200, get("/files/" + sha.toUpperCase()).statusCode());
  }

  @Test
  void rangeReturnsPartialContent() throws Exception {
    HttpResponse<byte[]> response = get("/files/" + sha, "Range", "bytes=10-19");

    assertEquals(206, response.statusCode());
    assertArrayEquals(Arrays.copyOfRange(content, 10, 20), response.body());
    assertEquals("bytes 10-19/1000", response.headers().firstValue("Content-Range").orElseThrow());
  }

  @Test
  void suffixRangeReturnsTheLastBytes() throws Exception {
    HttpResponse<byte[]> response = get("/files/" + sha, "Range", "bytes=-5");

    assertEquals(206, response.statusCode());
    assertArrayEquals(Arrays.copyOfRange(content, 995, 1000), response.body());
  }

  @Test
  void multipleRangesAreAMultipartAnswer() throws Exception {
    HttpResponse<byte[]> response = get("/files/" + sha, "Range", "bytes=0-1,100-101");

    assertEquals(206, response.statusCode());
    assertTrue(
        response
            .headers()
            .firstValue("Content-Type")
            .orElseThrow()
            .startsWith("multipart/byteranges"));
  }

  @Test
  void unsatisfiableRangeIs416() throws Exception {
    HttpResponse<byte[]> response = get("/files/" + sha, "Range", "bytes=5000-6000");

    assertEquals(416, response.statusCode());
    assertEquals("range_not_satisfiable", errorBody(response).code());
  }

  @Test
  void headHasLengthAndNoBody() throws Exception {
    HttpResponse<byte[]> response =
        client.send(
            HttpRequest.newBuilder(server.uri().resolve("/files/" + sha))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertEquals(200, response.statusCode());
    assertEquals("1000", response.headers().firstValue("Content-Length").orElseThrow());
    assertEquals(0, response.body().length);
  }

  @Test
  void listingHasNamesSizesAndHashesButNoPaths() throws Exception {
    HttpResponse<byte[]> response = get("/files?limit=1&offset=1");

    assertEquals(200, response.statusCode());
    BrowseResponse page = Json.read(response.body(), BrowseResponse.class);
    assertEquals("unknown", page.peer());
    assertEquals(2, page.total());
    assertEquals(List.of("notes.txt"), page.files().stream().map(SharedFile::name).toList());
    String text = new String(response.body(), StandardCharsets.UTF_8);
    assertFalse(text.contains("sub/"), text);
    assertFalse(text.contains(root.toString()), text);
    assertEquals(400, get("/files?limit=0").statusCode());
  }

  @Test
  void healthSaysOk() throws Exception {
    HttpResponse<byte[]> response = get("/health");
    assertEquals(200, response.statusCode());
    assertEquals("{\"status\":\"ok\"}", new String(response.body(), StandardCharsets.UTF_8));
  }

  @Test
  void unknownPathsInvalidHashesAndUnsharedHashesAreJsonErrors() throws Exception {
    assertEquals("not_found", errorBody(get("/etc/passwd")).code());
    assertEquals(404, get("/").statusCode());
    HttpResponse<byte[]> invalid = get("/files/notahash");
    assertEquals(400, invalid.statusCode());
    assertEquals("bad_request", errorBody(invalid).code());
    HttpResponse<byte[]> unshared = get("/files/" + "0".repeat(64));
    assertEquals(404, unshared.statusCode());
    errorBody(unshared);
    assertEquals(400, get("/files/" + sha + "/").statusCode());
    HttpResponse<byte[]> post =
        client.send(
            HttpRequest.newBuilder(server.uri().resolve("/files/" + sha))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(405, post.statusCode());
  }

  @Test
  void traversalAttemptsOverARawSocketNeverReachAFile() throws Exception {
    Files.writeString(dir.resolve("secret.txt"), "TOP SECRET");
    for (String target :
        List.of(
            "/files/../../etc/passwd",
            "/files/../secret.txt",
            "/files/%2e%2e/%2e%2e/etc/passwd",
            "/files/%2E%2E/secret.txt",
            "/files/..%2fsecret.txt",
            "/files/%2e%2e%2f" + sha,
            "/files/sub/notes.txt",
            "/files/./" + sha + "/../../secret.txt",
            "//etc/passwd",
            "/files//etc/passwd")) {
      String raw = rawGet(target);
      int status = Integer.parseInt(raw.substring(9, 12));
      assertTrue(status == 400 || status == 404, target + " -> " + raw);
      assertTrue(raw.contains("application/json"), target + " -> " + raw);
      assertFalse(raw.contains("root:"), target + " -> " + raw);
      assertFalse(raw.contains("TOP SECRET"), target + " -> " + raw);
      assertFalse(raw.contains("hello notes"), target + " -> " + raw);
      assertFalse(raw.contains("at org.eclipse"), target + " -> " + raw);
    }
  }

  private String rawGet(String target) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void aFileDeletedOrChangedAfterTheScanIsNotServedAndTriggersARescan() throws Exception {
    Path file = root.resolve("Grüße \"live\".bin");
    Files.write(file, new byte[1000]);
    Files.setLastModifiedTime(
        file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    HttpResponse<byte[]> changed = get("/files/" + sha);
    assertEquals(404, changed.statusCode());
    errorBody(changed);

    Files.delete(file);
    HttpResponse<byte[]> gone = get("/files/" + sha);
    assertEquals(404, gone.statusCode());
    errorBody(gone);
    assertTrue(staleCalls.get() >= 2);
  }

  @Test
  void realCurlFetchesARange() throws Exception {
    Path curl = findOnPath("curl");
    if (curl == null) {
      System.out.println("skipping: curl is not on PATH");
      Assumptions.abort("curl is not on PATH");
    }
    Path out = dir.resolve("curl-out");
    Process process =
        new ProcessBuilder(
                curl.toString(),
                "-s",
                "-f",
                "-r",
                "0-99",
                "-o",
                out.toString(),
                server.uri().resolve("/files/" + sha).toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), new String(process.getInputStream().readAllBytes()));
    assertArrayEquals(Arrays.copyOfRange(content, 0, 100), Files.readAllBytes(out));
  }

  static Path findOnPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String entry : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(entry, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  @Test
  void contentDispositionEscapesQuotesAndEncodesUtf8() {
    assertNotNull(FileHandler.contentDisposition("a b.txt"));
    assertEquals(
        "attachment; filename=\"a b.txt\"; filename*=UTF-8''a%20b.txt",
        FileHandler.contentDisposition("a b.txt"));
  }
}
