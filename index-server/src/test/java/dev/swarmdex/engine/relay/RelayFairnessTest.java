package dev.swarmdex.engine.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PushRequest;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay as an attacker tries to hold it hostage, over real sockets: a real index server with 6
 * relays (2 per downloader's address) that wait 30 s for their peer, fake firewalled peers (one
 * that collects its requests and never delivers, one that never even polls) and an honest
 * firewalled peer, played here through the same API its agent uses. Downloaders are raw sockets on
 * 127.0.0.N; each test starts its own server so no slot outlives its test.
 */
class RelayFairnessTest {
  private static final int SIZE = 100_000;

  @TempDir Path data;
  IndexServer server;
  ApiClient api;
  final List<RawCall> calls = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    start(config());
  }

  private Config config() {
    return Config.defaults()
        .withAddress("127.0.0.1", 0)
        .withDataDir(data)
        .withRateLimit(0)
        .withRelay(1024, 6)
        .withMaxRelaysPerIp(2)
        .withRelayWait(Duration.ofSeconds(30));
  }

  private void start(Config config) throws IOException {
    server = IndexServer.start(config);
    api = ApiClient.create(server.uri(), null);
  }

  @AfterEach
  void stop() throws IOException {
    for (RawCall call : calls) {
      call.close();
    }
    calls.clear();
    api.close();
    server.close();
  }

  /** A firewalled peer sharing one file of {@link #SIZE} bytes, named {@code name}. */
  private record Firewalled(Credentials credentials, Sha256 sha) {
    String path() {
      return "/api/v1/relay/" + credentials.peerId() + "/" + sha.hex();
    }
  }

  private Firewalled firewalled(String name) throws IOException {
    JoinResponse joined = api.join(new JoinRequest(name, closedPort(), 0), null);
    assertTrue(joined.firewalled());
    Sha256 sha = Sha256.ofDigest(HashTree.newDigest().digest(name.getBytes()));
    api.publish(joined.credentials(), new FileList(List.of(new SharedFile(name, SIZE, sha))));
    return new Firewalled(joined.credentials(), sha);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private RawCall relay(String from, Firewalled peer, long first, long last) throws IOException {
    RawCall call = RawCall.relay(server.uri(), from, peer.path(), first, last);
    calls.add(call);
    return call;
  }

  /** The push requests the peer collects within a few seconds: exactly {@code count}. */
  private List<PushRequest> collect(Credentials peer, int count) {
    List<PushRequest> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (seen.size() < count && System.nanoTime() < deadline) {
      seen.addAll(api.pushes(peer, 1).pushes());
    }
    assertEquals(count, seen.size(), seen.toString());
    return seen;
  }

  private static RawCall.Answer answer(RawCall call) throws Exception {
    return call.answer().get(20, TimeUnit.SECONDS);
  }

  private static String code(RawCall.Answer answer) {
    return Json.read(answer.body(), ErrorBody.class).code();
  }

  /** The honest firewalled peer serves its one request; the downloader must get the bytes. */
  private void servedThroughTheRelay(Firewalled honest, RawCall download) throws Exception {
    PushRequest push = collect(honest.credentials(), 1).get(0);
    byte[] bytes = new byte[(int) push.length()];
    java.util.Arrays.fill(bytes, (byte) 'h');
    api.deliver(honest.credentials(), push, new ByteArrayInputStream(bytes));
    RawCall.Answer got = answer(download);
    assertEquals(206, got.status(), got.text());
    assertArrayEquals(bytes, got.body());
  }

  @Test
  void threeAddressesFillingTheRelayDoNotKeepAnHonestDownloadOut() throws Exception {
    Firewalled fake = firewalled("collects-never-delivers");
    Firewalled honest = firewalled("honest");
    List<RawCall> attack = new ArrayList<>();
    List<String> attackers = List.of("127.0.0.21", "127.0.0.22", "127.0.0.23");
    for (String from : attackers) {
      attack.add(relay(from, fake, 0, 9));
      attack.add(relay(from, fake, 10, 19));
    }
    collect(fake.credentials(), 6); // the relay is full of requests nobody will ever answer

    RawCall download = relay("127.0.0.30", honest, 0, 1023);
    servedThroughTheRelay(honest, download);

    // It took the newest place of one attacking address, which learns at once (503, retry). The
    // answer was sent before the honest one was; this side may still be reading it, so wait for
    // it (the other five wait 30 s for a peer that never delivers: they are not done meanwhile).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (attack.stream().noneMatch(call -> call.answer().isDone())
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    List<RawCall.Answer> displaced = new ArrayList<>();
    String lostOne = null;
    for (int i = 0; i < attack.size(); i++) {
      if (attack.get(i).answer().isDone()) {
        displaced.add(answer(attack.get(i)));
        lostOne = attackers.get(i / 2);
      }
    }
    assertEquals(1, displaced.size(), "one place was taken back, no more");
    assertEquals(503, displaced.get(0).status());
    assertEquals("busy", code(displaced.get(0)));
    assertTrue(displaced.get(0).headers().containsKey("retry-after"));

    // An attacker cannot take more than its fair share: every address has one or two now, and
    // one that still holds two cannot take a third. (Which address lost a place depends on the
    // order the server admitted the six, which concurrent connections do not fix.)
    String holdsTwo = lostOne.equals(attackers.get(0)) ? attackers.get(1) : attackers.get(0);
    RawCall retake = relay(holdsTwo, fake, 20, 29);
    RawCall.Answer refused = answer(retake);
    assertTrue(refused.status() == 503 || refused.status() == 429, refused.text());
  }

  @Test
  void relaysAFewAddressesHoldRunningAreTakenBackForAnHonestDownload() throws Exception {
    Firewalled fake = firewalled("trickles");
    Firewalled honest = firewalled("honest-five");
    for (String from : List.of("127.0.0.81", "127.0.0.82", "127.0.0.83")) {
      relay(from, fake, 0, 999);
      relay(from, fake, 1000, 1999);
    }
    List<RawCall> uploads = new ArrayList<>();
    for (PushRequest push : collect(fake.credentials(), 6)) {
      RawCall upload =
          RawCall.start(
              server.uri(),
              "127.0.0.1",
              "POST",
              "/api/v1/relay/" + push.id(),
              "Authorization: Bearer " + fake.credentials().token(),
              "Content-Length: 1000");
      calls.add(upload);
      uploads.add(upload);
      Thread trickle = new Thread(() -> trickle(upload));
      trickle.setDaemon(true);
      trickle.start();
    }
    // All six must be running before the honest download comes, or a waiting one would be taken
    // back instead (and its late upload answered 404), which is not what this test is about.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((server.runningRelays() < 6 || server.bytesRelayed() < 12)
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(6, server.runningRelays(), "all six relays are running, a byte at a time");

    RawCall download = relay("127.0.0.84", honest, 0, 1023);
    servedThroughTheRelay(honest, download);

    // One slow relay of the fullest addresses was ended to make room (at its next byte), and its
    // peer told why.
    RawCall.Answer ended = null;
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ended == null && System.nanoTime() < until) {
      for (RawCall upload : uploads) {
        if (upload.answer().isDone()) {
          ended = answer(upload);
        }
      }
      Thread.sleep(10);
    }
    assertTrue(ended != null, "one running relay was taken back");
    assertEquals(503, ended.status(), ended.text());
    assertTrue(ended.text().contains("share"), ended.text());
  }

  @Test
  void oneAddressAskingAndHangingUpCannotKeepCuttingOffRunningRelays() throws Exception {
    stop(); // trickled relays here must outlast the 10 s minimum-rate window
    start(config().withRelayFloor(1, Duration.ofMinutes(5)));
    Firewalled honest = firewalled("honest-popular");
    Firewalled target = firewalled("any-firewalled-peer");
    List<RawCall> uploads = new ArrayList<>();
    List<RawCall> downloads = new ArrayList<>();
    for (String from : List.of("127.0.0.91", "127.0.0.92", "127.0.0.93")) {
      downloads.add(relay(from, honest, 0, 999));
      downloads.add(relay(from, honest, 1000, 1999));
    }
    for (PushRequest push : collect(honest.credentials(), 6)) {
      uploads.add(trickled(honest, push));
    }
    for (RawCall download : downloads) { // every relay is running: its bytes have begun
      assertEquals(206, download.status().get(20, TimeUnit.SECONDS));
    }

    int admitted = 0;
    int refills = 0;
    for (int attempt = 0; attempt < 10; attempt++) {
      RawCall attack = relay("127.0.0.99", target, 0, 9);
      boolean asked = false;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!asked && !attack.answer().isDone() && System.nanoTime() < deadline) {
        asked = !api.pushes(target.credentials(), 0).pushes().isEmpty();
        Thread.sleep(10);
      }
      if (!asked) {
        RawCall.Answer refused = answer(attack);
        assertEquals(503, refused.status(), "attempt " + attempt + ": " + refused.text());
        assertEquals("busy", code(refused));
        continue;
      }
      admitted++;
      attack.close(); // it hangs up at once, freeing the place it took
      awaitActive(5);
      // The downloader it cut off comes back (from its own address or another) and runs again.
      RawCall back = relay("127.0.0.9" + (4 + refills++), honest, 2000, 2999);
      uploads.add(trickled(honest, collect(honest.credentials(), 1).get(0)));
      assertEquals(206, back.status().get(20, TimeUnit.SECONDS), "the returning download runs");
      awaitActive(6);
    }
    assertEquals(1, admitted, "one place taken back from an address holding two, no more");

    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (uploads.stream().noneMatch(upload -> upload.answer().isDone())
        && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    List<RawCall> ended = uploads.stream().filter(upload -> upload.answer().isDone()).toList();
    assertEquals(1, ended.size(), "the relay cut off once; every other one still runs");
    assertEquals(503, answer(ended.get(0)).status());
  }

  /** Starts the peer's upload for {@code push}, a byte every 100 ms. */
  private RawCall trickled(Firewalled peer, PushRequest push) throws IOException {
    RawCall upload =
        RawCall.start(
            server.uri(),
            "127.0.0.1",
            "POST",
            "/api/v1/relay/" + push.id(),
            "Authorization: Bearer " + peer.credentials().token(),
            "Content-Length: 1000");
    calls.add(upload);
    Thread trickle = new Thread(() -> trickle(upload));
    trickle.setDaemon(true);
    trickle.start();
    return upload;
  }

  private void awaitActive(int relays) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.activeRelays() != relays && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(relays, server.activeRelays());
  }

  /** Sends one byte every 100 ms: slow, but over the 10 s window nothing ends it yet. */
  private static void trickle(RawCall upload) {
    try {
      for (int i = 0; i < 1000; i++) {
        upload.body().write('x');
        upload.body().flush();
        Thread.sleep(100);
      }
    } catch (IOException | InterruptedException e) {
      // ended, as it should be
    }
  }

  @Test
  void manyAddressesPilingOnOneFakePeerDoNotKeepAnHonestDownloadOut() throws Exception {
    Firewalled fake = firewalled("popular-fake");
    Firewalled honest = firewalled("honest-too");
    for (int n = 41; n <= 46; n++) {
      relay("127.0.0." + n, fake, 0, 9);
    }
    collect(fake.credentials(), 6); // one target holds every place

    RawCall download = relay("127.0.0.47", honest, 0, 1023);
    servedThroughTheRelay(honest, download);
  }

  @Test
  void aFirewalledPeerThatNeverPollsLosesItsClaimsWithinSeconds() throws Exception {
    Firewalled silent = firewalled("never-polls");
    Firewalled honest = firewalled("honest-three");
    RawCall first = relay("127.0.0.51", silent, 0, 9);
    RawCall second = relay("127.0.0.51", silent, 10, 19);

    // The relay waits 30 s for a peer that collects its requests; one that does not collect them
    // loses them after the pick-up time (5 s by default), and the downloader learns then.
    for (RawCall call : List.of(first, second)) {
      RawCall.Answer lapsed = call.answer().get(10, TimeUnit.SECONDS);
      assertEquals(504, lapsed.status(), lapsed.text());
      assertEquals("timeout", code(lapsed));
      assertTrue(lapsed.text().contains("collect"), lapsed.text());
    }

    // They no longer count against the downloader's address: it may wait for another peer now.
    RawCall download = relay("127.0.0.51", honest, 0, 1023);
    servedThroughTheRelay(honest, download);

    // Nor does the silent peer take new places until it polls again: refused at once.
    RawCall.Answer refused = answer(relay("127.0.0.52", silent, 0, 9));
    assertEquals(504, refused.status(), refused.text());
    assertTrue(refused.text().contains("collect"), refused.text());
    assertEquals(0, api.pushes(silent.credentials(), 0).pushes().size());
    relay("127.0.0.52", silent, 0, 9);
    assertEquals(1, collect(silent.credentials(), 1).size(), "polling again, it is asked again");
  }

  @Test
  void pushOrdersToAPeerThatNeverPollsStopCountingAgainstTheirAddress() throws Exception {
    Firewalled silent = firewalled("orders-never-polled");
    Firewalled honest = firewalled("honest-four");
    for (int i = 0; i < 2; i++) {
      assertEquals(200, answer(pushOrder("127.0.0.61", silent, "4000")).status());
    }
    RawCall.Answer full = answer(pushOrder("127.0.0.61", honest, "4000"));
    assertEquals(429, full.status(), "the address has its two orders waiting");

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    RawCall.Answer next = full;
    while (next.status() == 429 && System.nanoTime() < deadline) {
      next = answer(pushOrder("127.0.0.61", honest, "4000"));
    }
    assertEquals(200, next.status(), "the uncollected orders were dropped: " + next.text());
    assertEquals(1, collect(honest.credentials(), 1).size());
  }

  @Test
  void aPushOrderMustNameARealPortAtTheCallersOwnAddress() throws Exception {
    Firewalled peer = firewalled("push-target");
    for (String port : List.of("70000", "65536", "0", "2147483647")) {
      RawCall.Answer refused = answer(pushOrder("127.0.0.71", peer, port));
      assertEquals(400, refused.status(), port + ": " + refused.text());
      assertEquals("bad_request", code(refused));
    }
    for (String callback :
        List.of(
            "http://127.0.0.71:4000@127.0.0.9:4000/push/x",
            "http://127.0.0.9:4000/push/x",
            "http://127.0.0.71:4000/push/x?to=127.0.0.9",
            "http://127.0.0.71:4000/push/x#frag",
            "https://127.0.0.71:4000/push/x",
            "http://localhost:4000/push/x")) {
      RawCall.Answer refused = answer(pushOrder("127.0.0.71", peer, callback, 0, 9));
      assertEquals(400, refused.status(), callback + ": " + refused.text());
      assertEquals("bad_request", code(refused));
    }
    assertEquals(
        List.of(), api.pushes(peer.credentials(), 0).pushes(), "nothing refused was queued");
    assertEquals(200, answer(pushOrder("127.0.0.71", peer, "65535")).status());
  }

  private RawCall pushOrder(String from, Firewalled peer, String port) throws IOException {
    return pushOrder(from, peer, "http://" + from + ":" + port + "/push/x", 0, 9);
  }

  private RawCall pushOrder(String from, Firewalled peer, String callback, long first, long last)
      throws IOException {
    byte[] body = Json.write(java.util.Map.of("callback", callback, "first", first, "last", last));
    RawCall call =
        RawCall.start(
            server.uri(),
            from,
            "POST",
            "/api/v1/push/" + peer.credentials().peerId() + "/" + peer.sha().hex(),
            "Content-Type: application/json",
            "Content-Length: " + body.length);
    call.body().write(body);
    call.body().flush();
    calls.add(call);
    return call;
  }
}
