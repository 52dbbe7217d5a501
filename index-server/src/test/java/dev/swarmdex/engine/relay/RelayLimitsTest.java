package dev.swarmdex.engine.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ChunkList;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PushList;
import dev.swarmdex.protocol.PushRequest;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's limits over real sockets: a real index server whose relays wait 30 s, at most 2 per
 * downloader's address, and must pass 1,000 bytes a second over each second. Each test has its own
 * firewalled peer (on 127.0.0.1) and its own downloaders on 127.0.0.N.
 */
class RelayLimitsTest {
  private static final int SIZE = 100_000;

  @TempDir static Path data;
  static IndexServer server;
  static ApiClient api;

  @BeforeAll
  static void start() throws IOException {
    server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(data)
                .withRateLimit(0)
                .withRelay(1024, 8)
                .withMaxRelaysPerIp(2)
                .withRelayFloor(1000, Duration.ofSeconds(1))
                .withRelayWait(Duration.ofSeconds(30)));
    api = ApiClient.create(server.uri(), null);
  }

  @AfterAll
  static void stop() {
    api.close();
    server.close();
  }

  /** A firewalled peer sharing one file of {@link #SIZE} bytes, named {@code name}. */
  private record Hidden(Credentials credentials, Sha256 sha) {
    String path() {
      return "/api/v1/relay/" + credentials.peerId() + "/" + sha.hex();
    }
  }

  private static Hidden hiddenPeer(String name) throws IOException {
    JoinResponse joined = api.join(new JoinRequest(name, closedPort(), 0), null);
    assertTrue(joined.firewalled());
    Sha256 sha = Sha256.ofDigest(HashTree.newDigest().digest(name.getBytes()));
    api.publish(joined.credentials(), new FileList(List.of(new SharedFile(name, SIZE, sha))));
    return new Hidden(joined.credentials(), sha);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The push requests the peer collects within a few seconds, at least {@code count}. */
  private static List<PushRequest> collect(Credentials peer, int count) {
    List<PushRequest> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (seen.size() < count && System.nanoTime() < deadline) {
      seen.addAll(api.pushes(peer, 2).pushes());
    }
    assertEquals(count, seen.size(), seen.toString());
    return seen;
  }

  private static RawCall.Answer now(RawCall call) throws Exception {
    return call.answer().get(20, TimeUnit.SECONDS);
  }

  private static String code(RawCall.Answer answer) {
    return Json.read(answer.body(), ErrorBody.class).code();
  }

  @Test
  void oneDownloaderHoldsAtMostItsShareOfTheRelays() throws Exception {
    Hidden hidden = hiddenPeer("share-cap");
    URI server = RelayLimitsTest.server.uri();
    try (RawCall first = RawCall.relay(server, "127.0.0.2", hidden.path(), 0, 9);
        RawCall second = RawCall.relay(server, "127.0.0.2", hidden.path(), 10, 19)) {
      collect(hidden.credentials(), 2); // both wait for the peer

      try (RawCall third = RawCall.relay(server, "127.0.0.2", hidden.path(), 20, 29);
          RawCall elsewhere = RawCall.relay(server, "127.0.0.3", hidden.path(), 20, 29)) {
        RawCall.Answer refused = now(third);
        assertEquals(429, refused.status());
        assertEquals("rate_limited", code(refused));
        assertTrue(refused.text().contains("127.0.0.2"), refused.text());
        assertTrue(refused.headers().containsKey("retry-after"));
        assertEquals(1, collect(hidden.credentials(), 1).size(), "another address still may");
      }
    }
  }

  @Test
  void aDownloaderThatHangsUpFreesItsRelaysAtOnce() throws Exception {
    Hidden hidden = hiddenPeer("hang-up");
    URI server = RelayLimitsTest.server.uri();
    List<PushRequest> withdrawn;
    try (RawCall first = RawCall.relay(server, "127.0.0.4", hidden.path(), 0, 9);
        RawCall second = RawCall.relay(server, "127.0.0.4", hidden.path(), 10, 19)) {
      withdrawn = collect(hidden.credentials(), 2);
    } // both hang up, long before the 30 s wait is over

    // The address gets its places back, though nobody delivered and nothing expired.
    PushList accepted = new PushList(List.of());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<RawCall> tries = new ArrayList<>();
    try {
      while (accepted.pushes().isEmpty() && System.nanoTime() < deadline) {
        tries.add(RawCall.relay(server, "127.0.0.4", hidden.path(), 20, 29));
        accepted = api.pushes(hidden.credentials(), 2);
      }
      assertEquals(1, accepted.pushes().size(), "a new relay from the same address waits");
      assertEquals(20, accepted.pushes().get(0).first());
      for (PushRequest gone : withdrawn) {
        try {
          api.deliver(hidden.credentials(), gone, new java.io.ByteArrayInputStream(new byte[10]));
          throw new AssertionError("a withdrawn relay took bytes");
        } catch (dev.swarmdex.protocol.ApiException e) {
          // 404 once the hang-up has withdrawn the relay; 410 when the peer comes in between the
          // hang-up and the withdrawal (the loop above may see the first relay's place freed
          // before the second's). The peer drops the push on either.
          assertTrue(
              e.status() == 404 || e.status() == 410,
              "the peer learns the relay is gone: " + e.status() + " " + e.getMessage());
        }
      }
    } finally {
      for (RawCall call : tries) {
        call.close();
      }
    }
  }

  @Test
  void aPeerUploadingUnderTheMinimumRateIsCutOffAndItsRelayFreed() throws Exception {
    Hidden hidden = hiddenPeer("trickle");
    URI server = RelayLimitsTest.server.uri();
    try (RawCall download = RawCall.relay(server, "127.0.0.5", hidden.path(), 0, 999)) {
      PushRequest push = collect(hidden.credentials(), 1).get(0);
      try (RawCall upload =
          RawCall.start(
              server,
              "127.0.0.1",
              "POST",
              "/api/v1/relay/" + push.id(),
              "Authorization: Bearer " + hidden.credentials().token(),
              "Content-Length: 1000")) {
        Thread trickle = new Thread(() -> trickle(upload, 1000));
        trickle.setDaemon(true);
        trickle.start();

        RawCall.Answer cut = now(upload);
        assertEquals(408, cut.status(), cut.text());
        assertEquals("too_slow", code(cut));
        try {
          RawCall.Answer got = now(download);
          assertTrue(got.body().length < 1000, "the downloader never sees a whole body");
        } catch (ExecutionException e) {
          // the response was cut off: what a downloader must see
        }
        trickle.interrupt();
      }
    }
    try (RawCall again = RawCall.relay(server, "127.0.0.5", hidden.path(), 0, 9);
        RawCall andAgain = RawCall.relay(server, "127.0.0.5", hidden.path(), 10, 19)) {
      assertEquals(2, collect(hidden.credentials(), 2).size(), "both places are free again");
    }
  }

  /** Sends one byte every 100 ms: 10 bytes a second, far under the floor. */
  private static void trickle(RawCall upload, int bytes) {
    try {
      OutputStream out = upload.body();
      for (int i = 0; i < bytes; i++) {
        out.write('x');
        out.flush();
        Thread.sleep(100);
      }
    } catch (IOException | InterruptedException e) {
      // cut off, as it should be
    }
  }

  @Test
  void aPeersSessionEndClearsItsOrdersAndItsWaitingRelays() throws Exception {
    Hidden hidden = hiddenPeer("leaving");
    URI server = RelayLimitsTest.server.uri();
    try (RawCall order = pushOrder(server, "127.0.0.6", hidden, 0, 9);
        RawCall waiting = RawCall.relay(server, "127.0.0.6", hidden.path(), 0, 9)) {
      assertEquals(200, now(order).status());

      api.leave(hidden.credentials());

      RawCall.Answer told = now(waiting);
      assertEquals(404, told.status(), "the downloader learns now, not after 30 s");
      // "went offline" when the wait was registered before the leave, "not online" when the GET
      // arrived after it: both are the answer, at once.
      assertTrue(
          told.text().contains("went offline") || told.text().contains("not online"), told.text());
      JoinResponse back =
          api.join(new JoinRequest("leaving", closedPort(), 0), hidden.credentials());
      assertEquals(hidden.credentials().peerId(), back.peerId());
      assertEquals(
          List.of(),
          api.pushes(back.credentials(), 0).pushes(),
          "nothing ordered before the session ended is handed out after");
    }
  }

  @Test
  void oneAddressHasAtMostItsShareOfPushOrdersWaiting() throws Exception {
    Hidden hidden = hiddenPeer("orders");
    URI server = RelayLimitsTest.server.uri();
    for (int i = 0; i < 2; i++) {
      try (RawCall order = pushOrder(server, "127.0.0.8", hidden, 0, 9)) {
        assertEquals(200, now(order).status());
      }
    }
    try (RawCall third = pushOrder(server, "127.0.0.8", hidden, 0, 9)) {
      RawCall.Answer refused = now(third);
      assertEquals(429, refused.status(), refused.text());
      assertEquals("rate_limited", code(refused));
      assertTrue(refused.headers().containsKey("retry-after"));
    }
    assertEquals(2, collect(hidden.credentials(), 2).size());
    try (RawCall next = pushOrder(server, "127.0.0.8", hidden, 0, 9)) {
      assertEquals(200, now(next).status(), "collected orders no longer count");
    }
  }

  private static RawCall pushOrder(URI server, String from, Hidden hidden, long first, long last)
      throws IOException {
    byte[] body =
        ("{\"callback\":\"http://"
                + from
                + ":4000/push/x\",\"first\":"
                + first
                + ",\"last\":"
                + last
                + "}")
            .getBytes(StandardCharsets.UTF_8);
    RawCall call =
        RawCall.start(
            server,
            from,
            "POST",
            "/api/v1/push/" + hidden.credentials().peerId() + "/" + hidden.sha().hex(),
            "Content-Type: application/json",
            "Content-Length: " + body.length);
    call.body().write(body);
    call.body().flush();
    return call;
  }

  @Test
  void aPeerThatNoLongerSharesTheFileDeclinesAndTheDownloaderLearnsAtOnce() throws Exception {
    Hidden hidden = hiddenPeer("declining");
    URI server = RelayLimitsTest.server.uri();
    try (RawCall waiting = RawCall.relay(server, "127.0.0.10", hidden.path(), 0, 9)) {
      PushRequest push = collect(hidden.credentials(), 1).get(0);

      api.decline(hidden.credentials(), push);

      RawCall.Answer told = now(waiting);
      assertEquals(404, told.status(), told.text());
      assertTrue(told.text().contains("no longer shares"), told.text());
    }
    // The slot is free again: the same address may wait for a new relay at once.
    try (RawCall again = RawCall.relay(server, "127.0.0.10", hidden.path(), 0, 9)) {
      PushRequest push = collect(hidden.credentials(), 1).get(0);
      api.decline(hidden.credentials(), push);
      assertEquals(404, now(again).status());
    }
  }

  @Test
  void aFirewalledPeersChunkListComesThroughTheRelay() throws Exception {
    Hidden hidden = hiddenPeer("listed");
    URI server = RelayLimitsTest.server.uri();
    ChunkList list = HashTree.of(SIZE, List.of(Sha256.of("c1".repeat(32)))).toChunkList();
    try (RawCall asked = RawCall.start(server, "127.0.0.9", "GET", hidden.path() + "/chunks")) {
      PushRequest push = collect(hidden.credentials(), 1).get(0);
      assertTrue(push.wantsChunkList());

      api.deliverChunkList(hidden.credentials(), push, Json.write(list));

      RawCall.Answer got = now(asked);
      assertEquals(200, got.status(), got.text());
      assertEquals(list, Json.read(got.body(), ChunkList.class));
    }
    try (RawCall asked = RawCall.start(server, "127.0.0.9", "GET", hidden.path() + "/chunks")) {
      api.deliverChunkList(
          hidden.credentials(), collect(hidden.credentials(), 1).get(0), new byte[0]);
      RawCall.Answer none = now(asked);
      assertEquals(404, none.status(), "the peer has no list: said at once");
      assertEquals("not_found", code(none));
    }
    try (RawCall asked = RawCall.start(server, "127.0.0.9", "GET", hidden.path() + "/chunks")) {
      ChunkList wrongSize = HashTree.of(10, List.of(Sha256.of("c2".repeat(32)))).toChunkList();
      try {
        api.deliverChunkList(
            hidden.credentials(), collect(hidden.credentials(), 1).get(0), Json.write(wrongSize));
        throw new AssertionError("a list of another size was taken");
      } catch (dev.swarmdex.protocol.ApiException e) {
        assertEquals(400, e.status());
      }
      assertEquals(404, now(asked).status(), "a list of another size is not passed on");
    }
  }
}
