package dev.swarmdex.system;

import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.swarmdex.peer.serve.FileHandler;
import dev.swarmdex.peer.serve.FileServer;
import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareScanner;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.Magnet;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/files/{sha256}.meta4} against the real aria2c: peers on 127.0.0.2-4 publish a
 * ~6 MiB file with its hash tree root to a real index server; the Metalink lists them with the
 * piece digests, and {@code aria2c URL.meta4} fetches from all of them and catches a lying one by
 * its piece check.
 */
class MetalinkDownloadTest {
  private static final int SIZE = 6 * HashTree.CHUNK_SIZE + 4_321;

  @TempDir static Path root;
  static Network network;
  final List<AutoCloseable> started = new ArrayList<>();
  @TempDir Path work;

  @BeforeAll
  static void startNetwork() throws Exception {
    network = new Network(root);
    network.startServer();
  }

  @AfterAll
  static void stopNetwork() {
    network.close();
  }

  @AfterEach
  void stopPeers() throws Exception {
    for (AutoCloseable one : started) {
      one.close();
    }
  }

  private record Content(Share share, SharedFile entry, Path file) {}

  private Content content(String name) throws IOException {
    Path dir = work.resolve("original-" + name);
    Path file = writeFile(dir, name, SIZE);
    Share share = new ShareScanner(dir, work.resolve("hashes-" + name + ".json")).scan();
    return new Content(share, share.files().get(0), file);
  }

  /** A peer on 127.0.0.{@code host} that serves {@code content} through {@code wrap}. */
  private SwarmDownloadTest.Counting peer(int host, Content content, UnaryOperator<Handler> wrap)
      throws IOException {
    var counting =
        new SwarmDownloadTest.Counting(
            wrap.apply(new FileHandler(content::share, () -> null, () -> {})));
    FileServer server = FileServer.start(Network.address(host), 0, counting);
    started.add(server);
    ApiClient api = network.clientAt(host);
    Credentials me =
        api.join(new JoinRequest("meta4-" + host, server.port(), 0), null).credentials();
    api.publish(me, new FileList(List.of(content.entry())));
    started.add(0, () -> api.leave(me));
    return counting;
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String metalinkUrl(Content content) {
    return Magnet.metalinkAt(network.serverUri(), content.entry().sha256()).toString();
  }

  private static String aria2c(Path dir, String url) throws Exception {
    boolean installed = new ProcessBuilder("sh", "-c", "command -v aria2c").start().waitFor() == 0;
    assumeTrue(installed, "aria2c is not installed (apt-get install aria2)");
    Process p =
        new ProcessBuilder(
                "aria2c",
                "--console-log-level=warn",
                "--summary-interval=0",
                "--allow-overwrite=true",
                "--split=6",
                "--min-split-size=1M",
                "--max-connection-per-server=2",
                "--max-tries=5",
                "--retry-wait=1",
                "-d",
                dir.toString(),
                url)
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), output);
    return output;
  }

  /** The SHA-256 of each 1 MiB piece, computed here (not by the code under test). */
  private static List<String> pieceDigests(byte[] bytes) throws Exception {
    List<String> digests = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += HashTree.CHUNK_SIZE) {
      var sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update(bytes, at, Math.min(HashTree.CHUNK_SIZE, bytes.length - at));
      digests.add(java.util.HexFormat.of().formatHex(sha.digest()));
    }
    return digests;
  }

  @Test
  void theMetalinkListsEverySourceAndThePiecesAndAria2cFetchesFromAll() throws Exception {
    Content content = content("three.bin");
    List<SwarmDownloadTest.Counting> three = new ArrayList<>();
    for (int host = 2; host <= 4; host++) {
      three.add(peer(host, content, h -> h));
    }

    long cold = System.nanoTime();
    HttpResponse<String> answer = get(metalinkUrl(content));
    cold = System.nanoTime() - cold;
    long warm = System.nanoTime();
    assertEquals(answer.body(), get(metalinkUrl(content)).body(), "the same document again");
    warm = System.nanoTime() - warm;
    System.out.printf(
        "meta4: %.1f ms first (chunk list fetched from a source), %.1f ms again (cached)%n",
        cold / 1e6, warm / 1e6);

    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals(
        "application/metalink4+xml", answer.headers().firstValue("Content-Type").orElse(""));
    String xml = answer.body();
    assertTrue(xml.contains("<file name=\"three.bin\">"), xml);
    assertTrue(xml.contains("<size>" + SIZE + "</size>"), xml);
    assertTrue(
        xml.contains("<hash type=\"sha-256\">" + content.entry().sha256().hex() + "</hash>"), xml);
    for (int host = 2; host <= 4; host++) {
      assertTrue(xml.contains(">http://127.0.0." + host + ":"), "source " + host + ": " + xml);
    }
    List<String> expected = pieceDigests(Files.readAllBytes(content.file()));
    List<String> pieces = new ArrayList<>();
    Matcher piece = Pattern.compile("<hash>([0-9a-f]{64})</hash>").matcher(xml);
    while (piece.find()) {
      pieces.add(piece.group(1));
    }
    assertEquals(expected, pieces, "every 1 MiB piece's SHA-256, computed here from the file");

    Path dir = Files.createDirectories(work.resolve("aria2"));
    long took = System.nanoTime();
    aria2c(dir, metalinkUrl(content));
    took = System.nanoTime() - took;
    System.out.printf(
        "aria2c URL.meta4: %d bytes from 3 sources in %.0f ms (process start included)%n",
        SIZE, took / 1e6);

    assertEquals(
        content.entry().sha256().hex(), SwarmDownloadTest.sha256sum(dir.resolve("three.bin")));
    for (var source : three) {
      assertTrue(source.fileBytes.get() > 0, "every source served a part");
    }
  }

  @Test
  void aSourceSendingWrongBytesIsCaughtByAria2csPieceCheck() throws Exception {
    Content content = content("lies.bin");
    var liar = peer(2, content, SwarmDownloadTest::corrupting);
    // The honest source is slower, so the liar's pieces arrive whole and are checked.
    peer(3, content, SwarmDownloadTest.throttled(2L << 20));

    Path dir = Files.createDirectories(work.resolve("aria2-lies"));
    String output = aria2c(dir, metalinkUrl(content));
    System.out.println("aria2c with a lying source:\n" + output);

    assertEquals(
        content.entry().sha256().hex(), SwarmDownloadTest.sha256sum(dir.resolve("lies.bin")));
    assertTrue(liar.fileBytes.get() > 0, "the liar was asked: " + output);
    assertTrue(
        output.matches(
            "(?s).*Download aborted\\. URI=http://127\\.0\\.0\\.2:.*Invalid checksum index=\\d+.*"),
        "aria2c's piece check caught the liar on 127.0.0.2 and dropped it: " + output);
  }

  /** Answers {@code /chunks} with a well-formed list whose root is not the published one. */
  static Handler forgingChunkLists(Handler handler) {
    return new Handler.Wrapper(handler) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        if (!Request.getPathInContext(request).endsWith("/chunks")) {
          return super.handle(request, response, callback);
        }
        List<Sha256> made = new ArrayList<>();
        for (int i = 0; i < HashTree.chunkCount(SIZE); i++) {
          made.add(Sha256.of(String.format("%064x", i + 1)));
        }
        response.getHeaders().put("Content-Type", "application/json");
        response.write(
            true, ByteBuffer.wrap(Json.write(HashTree.of(SIZE, made).toChunkList())), callback);
        return true;
      }
    };
  }

  @Test
  void aForgedChunkListNeverReachesTheMetalink() throws Exception {
    Content content = content("forged.bin");
    peer(2, content, MetalinkDownloadTest::forgingChunkLists);

    String alone = get(metalinkUrl(content)).body();
    assertTrue(alone.contains("<url priority=\"1\">http://127.0.0.2:"), alone);
    assertFalse(
        alone.contains("<pieces"), "a list not of the published root is not used: " + alone);

    peer(3, content, h -> h);
    String both = get(metalinkUrl(content)).body();
    Matcher piece = Pattern.compile("<hash>([0-9a-f]{64})</hash>").matcher(both);
    List<String> pieces = new ArrayList<>();
    while (piece.find()) {
      pieces.add(piece.group(1));
    }
    assertEquals(pieceDigests(Files.readAllBytes(content.file())), pieces, both);
  }

  @Test
  void badOrUnknownContentIdsAreJsonErrors() throws Exception {
    HttpResponse<String> bad = get(network.serverUri() + "/api/v1/files/nothex.meta4");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("\"code\":\"bad_request\""), bad.body());

    HttpResponse<String> unknown =
        get(network.serverUri() + "/api/v1/files/" + "ab".repeat(32) + ".meta4");
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.body().contains("\"code\":\"not_found\""), unknown.body());
  }
}
