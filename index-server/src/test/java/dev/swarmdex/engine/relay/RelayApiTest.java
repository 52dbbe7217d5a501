package dev.swarmdex.engine.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PushList;
import dev.swarmdex.protocol.PushRequest;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay routes over real sockets: a real index server (relays wait 1 s, at most 2 at once), a
 * firewalled peer that joined with a port nothing listens on, and raw HTTP for the downloader.
 */
class RelayApiTest {
  private static final int SIZE = 1000;
  private static final Sha256 SHA = Sha256.of("5a".repeat(32));

  @TempDir static Path data;
  static IndexServer server;
  static ApiClient api;
  static HttpClient raw;
  static Credentials hidden;
  static Credentials other;
  static ServerSocket reachablePort;
  static Credentials reachable;

  @BeforeAll
  static void start() throws IOException {
    server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(data)
                .withRateLimit(0)
                .withRelay(1024, 2)
                .withRelayWait(Duration.ofSeconds(1)));
    api = ApiClient.create(server.uri(), null);
    raw = HttpClient.newHttpClient();
    JoinResponse joined = api.join(new JoinRequest("hidden", closedPort(), 0), null);
    assertTrue(joined.firewalled());
    hidden = joined.credentials();
    api.publish(hidden, new FileList(List.of(new SharedFile("hidden.bin", SIZE, SHA))));
    other = api.join(new JoinRequest("other", closedPort(), 0), null).credentials();
    reachablePort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    reachable =
        api.join(new JoinRequest("open", reachablePort.getLocalPort(), 0), null).credentials();
    api.publish(reachable, new FileList(List.of(new SharedFile("open.bin", SIZE, SHA))));
  }

  @AfterAll
  static void stop() throws IOException {
    api.close();
    server.close();
    reachablePort.close();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static CompletableFuture<HttpResponse<byte[]>> relayGet(String path, String range) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.uri() + "/api/v1/relay/" + path))
            .timeout(Duration.ofSeconds(20));
    if (range != null) {
      request.header("Range", range);
    }
    return raw.sendAsync(request.build(), BodyHandlers.ofByteArray());
  }

  private static HttpResponse<byte[]> now(CompletableFuture<HttpResponse<byte[]>> answer)
      throws Exception {
    return answer.get(20, TimeUnit.SECONDS);
  }

  private static String code(HttpResponse<byte[]> response) {
    return Json.read(response.body(), ErrorBody.class).code();
  }

  /** The one push request the hidden peer gets next. */
  private static PushRequest nextPush() {
    PushList list = api.pushes(hidden, 5);
    assertEquals(1, list.pushes().size(), list.toString());
    return list.pushes().get(0);
  }

  @Test
  void aRangeTheFirewalledPeerPostsReachesTheDownloader() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> download =
        relayGet(hidden.peerId() + "/" + SHA.hex(), "bytes=10-19");
    PushRequest push = nextPush();
    assertEquals(new PushRequest(push.id(), SHA, 10, 19), push);
    byte[] bytes = "0123456789".getBytes();

    api.deliver(hidden, push, new ByteArrayInputStream(bytes));

    HttpResponse<byte[]> got = now(download);
    assertEquals(206, got.statusCode());
    assertEquals("bytes 10-19/1000", got.headers().firstValue("Content-Range").orElseThrow());
    assertArrayEquals(bytes, got.body());
  }

  /**
   * A relay request that comes with a body is refused before it waits: bytes arriving while it
   * waited would count as a hang-up, and the connection was closed without any answer (found by the
   * fuzz suite in system-tests).
   */
  @Test
  void aRelayRequestWithABodyIsRefusedNotDropped() throws Exception {
    try (RawCall call =
        RawCall.start(
            server.uri(),
            "127.0.0.1",
            "GET",
            "/api/v1/relay/" + hidden.peerId() + "/" + SHA.hex(),
            "Content-Length: 2")) {
      call.body().write(new byte[] {'{', '}'});
      call.body().flush();
      RawCall.Answer answer = call.answer().get(10, TimeUnit.SECONDS);
      assertEquals(400, answer.status(), answer.text());
      assertEquals("bad_request", Json.read(answer.body(), ErrorBody.class).code());
    }
    assertTrue(api.pushes(hidden, 0).pushes().isEmpty(), "the peer was asked for nothing");
  }

  @Test
  void aWholeFileRequestIsAnsweredWith200() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> download =
        relayGet(hidden.peerId() + "/" + SHA.hex(), null);
    PushRequest push = nextPush();
    assertEquals(0, push.first());
    assertEquals(SIZE - 1, push.last());
    byte[] bytes = new byte[SIZE];
    Arrays.fill(bytes, (byte) 7);

    api.deliver(hidden, push, new ByteArrayInputStream(bytes));

    HttpResponse<byte[]> got = now(download);
    assertEquals(200, got.statusCode());
    assertArrayEquals(bytes, got.body());
  }

  @Test
  void aShortDeliveryFailsBothSidesRatherThanPassingAPartialBody() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> download =
        relayGet(hidden.peerId() + "/" + SHA.hex(), "bytes=0-9");
    PushRequest push = nextPush();

    HttpResponse<String> delivered =
        raw.send(
            HttpRequest.newBuilder(URI.create(server.uri() + "/api/v1/relay/" + push.id()))
                .header("Authorization", "Bearer " + hidden.token())
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5]))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(400, delivered.statusCode(), delivered.body());
    try {
      HttpResponse<byte[]> got = now(download);
      assertTrue(got.body().length < 10, "the downloader never sees a whole body");
    } catch (java.util.concurrent.ExecutionException e) {
      // the response was cut off: what a downloader must see
    }
  }

  @Test
  void badRequestsAreRefusedWithJson() throws Exception {
    HttpResponse<byte[]> badSha = now(relayGet(hidden.peerId() + "/xyz", null));
    assertEquals(400, badSha.statusCode());
    assertEquals("bad_request", code(badSha));

    HttpResponse<byte[]> offline = now(relayGet("p0000000000000000000/" + SHA.hex(), null));
    assertEquals(404, offline.statusCode());

    HttpResponse<byte[]> notShared = now(relayGet(other.peerId() + "/" + SHA.hex(), null));
    assertEquals(404, notShared.statusCode());

    HttpResponse<byte[]> direct = now(relayGet(reachable.peerId() + "/" + SHA.hex(), null));
    assertEquals(400, direct.statusCode(), "a reachable peer is fetched directly");

    HttpResponse<byte[]> outside =
        now(relayGet(hidden.peerId() + "/" + SHA.hex(), "bytes=5000-6000"));
    assertEquals(416, outside.statusCode());
    assertEquals("bad_range", code(outside));

    HttpResponse<byte[]> chunksOfNothing =
        now(relayGet(other.peerId() + "/" + SHA.hex() + "/chunks", null));
    assertEquals(404, chunksOfNothing.statusCode(), "no chunk list of a file not shared");
  }

  @Test
  void onlyThePeerAskedMayDeliver() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> download =
        relayGet(hidden.peerId() + "/" + SHA.hex(), "bytes=0-9");
    PushRequest push = nextPush();
    byte[] bytes = new byte[10];

    ApiException wrongPeer =
        assertThrows(
            ApiException.class, () -> api.deliver(other, push, new ByteArrayInputStream(bytes)));
    assertEquals(403, wrongPeer.status());
    ApiException noSlot =
        assertThrows(
            ApiException.class,
            () ->
                api.deliver(
                    hidden, new PushRequest("r123", SHA, 0, 9), new ByteArrayInputStream(bytes)));
    assertEquals(404, noSlot.status());
    HttpResponse<String> anonymous =
        raw.send(
            HttpRequest.newBuilder(URI.create(server.uri() + "/api/v1/relay/" + push.id()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode());

    api.deliver(hidden, push, new ByteArrayInputStream(bytes));
    assertEquals(206, now(download).statusCode(), "the wrong tries left the relay waiting");
  }

  @Test
  void aRelayNobodyAnswersEndsIn504() throws Exception {
    long start = System.nanoTime();
    HttpResponse<byte[]> got = now(relayGet(hidden.peerId() + "/" + SHA.hex(), "bytes=0-9"));
    assertEquals(504, got.statusCode());
    assertEquals("timeout", code(got));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(900));
    assertEquals(List.of(), api.pushes(hidden, 0).pushes(), "the expired request is withdrawn");
  }

  @Test
  void aPushOrderReachesThePeerWithItsCallback() throws Exception {
    HttpResponse<String> elsewhere = pushOrder("http://10.9.9.9:4000/push/x", 0, 9);
    assertEquals(400, elsewhere.statusCode(), "a callback at another address is refused");
    assertEquals(400, pushOrder("ftp://127.0.0.1:4000/push/x", 0, 9).statusCode());
    assertEquals(400, pushOrder("http://127.0.0.1:4000/push/x", 0, SIZE).statusCode());

    HttpResponse<String> queued = pushOrder("http://127.0.0.1:4000/push/abc", 100, 199);
    assertEquals(200, queued.statusCode(), queued.body());
    PushRequest push = nextPush();
    assertEquals(new PushRequest(push.id(), SHA, 100, 199, "http://127.0.0.1:4000/push/abc"), push);
  }

  private static HttpResponse<String> pushOrder(String callback, long first, long last)
      throws Exception {
    String body =
        "{\"callback\":\"" + callback + "\",\"first\":" + first + ",\"last\":" + last + "}";
    return raw.send(
        HttpRequest.newBuilder(
                URI.create(server.uri() + "/api/v1/push/" + hidden.peerId() + "/" + SHA.hex()))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void beyondTheCapARelayIsRefusedWith503() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> first =
        relayGet(hidden.peerId() + "/" + SHA.hex(), "bytes=0-9");
    CompletableFuture<HttpResponse<byte[]>> second =
        relayGet(hidden.peerId() + "/" + SHA.hex(), "bytes=10-19");
    // Both are waiting once the peer sees both requests.
    PushList seen = api.pushes(hidden, 5);
    if (seen.pushes().size() < 2) {
      seen = new PushList(List.of(seen.pushes().get(0), nextPush()));
    }
    HttpResponse<byte[]> third = now(relayGet(hidden.peerId() + "/" + SHA.hex(), "bytes=0-9"));
    assertEquals(503, third.statusCode());
    assertEquals("busy", code(third));
    assertTrue(third.headers().firstValue("Retry-After").isPresent());
    assertEquals(504, now(first).statusCode());
    assertEquals(504, now(second).statusCode());
    assertFalse(seen.pushes().isEmpty());
  }

  @Test
  void aRelayOrPushCarriesAtMostFourMiBAtATime() throws Exception {
    Sha256 big = Sha256.of("b1".repeat(32));
    api.publishChanges(
        hidden,
        new dev.swarmdex.protocol.FileChanges(
            List.of(new SharedFile("big.iso", 10L * 1024 * 1024, big)), List.of()));

    HttpResponse<byte[]> whole = now(relayGet(hidden.peerId() + "/" + big.hex(), null));
    assertEquals(400, whole.statusCode(), "a whole 10 MiB file is not relayed in one go");
    assertTrue(new String(whole.body()).contains("range at a time"), new String(whole.body()));
    assertEquals(
        400,
        now(relayGet(hidden.peerId() + "/" + big.hex(), "bytes=0-" + (5 * 1024 * 1024)))
            .statusCode());

    String body =
        "{\"callback\":\"http://127.0.0.1:4000/push/x\",\"first\":0,\"last\":"
            + (5 * 1024 * 1024)
            + "}";
    HttpResponse<String> order =
        raw.send(
            HttpRequest.newBuilder(
                    URI.create(server.uri() + "/api/v1/push/" + hidden.peerId() + "/" + big.hex()))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(400, order.statusCode(), order.body());
    api.publishChanges(hidden, new dev.swarmdex.protocol.FileChanges(List.of(), List.of(big)));
  }
}
