package dev.swarmdex.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PresenceLine;
import dev.swarmdex.protocol.SearchQuery;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer's presence ({@code POST peers/{id}/presence}) over real sockets against a real index
 * server: a presence that breaks takes the peer out of search at once, a reconnect or a heartbeat
 * brings it back without a republish, and only the peer's own token opens it.
 */
class PresenceTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  @TempDir static Path data;
  static IndexServer server;
  static ApiClient api;
  static ServerSocket fakePeerPort;

  @BeforeAll
  static void start() throws IOException {
    fakePeerPort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    server =
        IndexServer.start(
            Config.defaults().withAddress("127.0.0.1", 0).withDataDir(data).withRateLimit(0));
    api = ApiClient.create(server.uri(), null);
  }

  @AfterAll
  static void stop() throws IOException {
    api.close();
    server.close();
    fakePeerPort.close();
  }

  /** A joined peer sharing one file named {@code name}. */
  static Credentials sharing(String name) throws Exception {
    Credentials me =
        api.join(new JoinRequest(name, fakePeerPort.getLocalPort(), 0), null).credentials();
    api.publish(me, new FileList(List.of(ApiHandlerTest.file(name + " song.mp3"))));
    return me;
  }

  /** A gauge's value as the server's {@code /metrics} shows it to this host. */
  static double metric(String name) {
    try {
      String text =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(server.uri().resolve("/metrics")).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      for (String line : text.split("\n")) {
        if (line.startsWith(name + " ")) {
          return Double.parseDouble(line.substring(name.length() + 1).trim());
        }
      }
      return -1;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  static boolean found(String words) {
    return !api.search(SearchQuery.of(words)).results().isEmpty();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + DEADLINE.toSeconds() + " s: " + what);
      }
      Thread.sleep(50);
    }
  }

  /** A presence over a plain socket, so the test can cut it as a killed process would. */
  static Socket hold(String peerId, String token) throws IOException {
    Socket socket = new Socket(server.uri().getHost(), server.uri().getPort());
    String head =
        "POST /api/v1/peers/"
            + peerId
            + "/presence HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
            + "Transfer-Encoding: chunked\r\n\r\n1\r\n\n\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  /** The status line and body of the answer on {@code socket}, waiting at most the deadline. */
  static String answer(Socket socket) throws IOException {
    socket.setSoTimeout((int) DEADLINE.toMillis());
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        got.write(buffer, 0, n);
        String text = got.toString(StandardCharsets.UTF_8);
        if (text.contains("\r\n\r\n") && text.trim().endsWith("}")) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      // what came is the answer
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  /** Asserts a 4xx JSON error answer with {@code status}. */
  static void refused(int status, String answer) {
    assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
    assertTrue(answer.toLowerCase().contains("content-type: application/json"), answer);
    String body = answer.substring(answer.indexOf('{'));
    ErrorBody error = Json.read(body.getBytes(StandardCharsets.UTF_8), ErrorBody.class);
    assertFalse(error.error().contains("Exception"), error.error());
  }

  @Test
  void aCutPresenceLeavesSearchAtOnceAndAReconnectBringsItBack() throws Exception {
    Credentials me = sharing("cutcable");
    var sha = ApiHandlerTest.sha("cutcable song.mp3");
    Socket presence = hold(me.peerId(), me.token());
    assertTrue(found("cutcable"));

    presence.setSoLinger(true, 0); // as abrupt as a killed process: a reset, no goodbye
    presence.close();
    await("the cut peer leaves search", () -> !found("cutcable"));
    assertEquals(404, assertThrowsStatus(() -> api.locate(sha)), "nor is it a source");
    assertEquals(1, api.browse(me.peerId(), 10, 0).total(), "its session and entries stay");

    try (Socket again = hold(me.peerId(), me.token())) {
      await("a new presence shows it again, without a republish", () -> found("cutcable"));
      assertEquals(me.peerId(), api.locate(sha).sources().get(0).peer());
    }
    await("a presence closed by the peer hides it too", () -> !found("cutcable"));

    api.heartbeat(me);
    assertTrue(found("cutcable"), "a heartbeat shows an old agent again");
  }

  @Test
  void theAgentsPresenceLineHoldsUntilClosed() throws Exception {
    Credentials me = sharing("linehold");
    Socket cut = hold(me.peerId(), me.token());
    cut.setSoLinger(true, 0);
    cut.close();
    await("the cut peer leaves search", () -> !found("linehold"));
    PresenceLine line = api.presence(me);
    await("the agent's line shows it again", () -> found("linehold"));
    line.keepAlive();
    assertFalse(line.ended().isDone(), "the directory holds it");
    line.close();
    assertEquals(200, line.ended().get().intValue(), "a closed line is answered");
    await("a closed line hides the peer", () -> !found("linehold"));
  }

  @Test
  void aPresenceThatFallsSilentHidesThePeer() throws Exception {
    Credentials me = sharing("quietmachine");
    try (Socket silent = hold(me.peerId(), me.token())) {
      assertTrue(found("quietmachine"));
      // No FIN, no more keep-alives: as a machine that lost power. Three keep-alives (15 s) pass.
      silent.setSoTimeout((int) PresenceResource.IDLE.multipliedBy(3).toMillis());
      String answer = new String(silent.getInputStream().readNBytes(12), StandardCharsets.UTF_8);
      assertEquals("HTTP/1.1 408", answer, "the directory gave up on it");
      await("the silent peer leaves search", () -> !found("quietmachine"));
    }
  }

  @Test
  void onlyThePeersOwnTokenOpensItsPresence() throws Exception {
    Credentials me = sharing("ownonly");
    Credentials other = sharing("otherpeer");
    try (Socket none = hold(me.peerId(), null)) {
      refused(401, answer(none));
    }
    try (Socket wrong = hold(me.peerId(), "not-a-token-at-all")) {
      refused(401, answer(wrong));
    }
    try (Socket stolen = hold(me.peerId(), other.token())) {
      refused(403, answer(stolen));
    }
    try (Socket unknown = hold("no-such-peer", me.token())) {
      refused(404, answer(unknown));
    }
    try (Socket garbled = hold(me.peerId(), me.token())) {
      garbled.getOutputStream().write("zz\r\nnot a chunk\r\n".getBytes(StandardCharsets.US_ASCII));
      refused(400, answer(garbled));
    }
    api.heartbeat(me); // the garbled presence was its own: it hid the peer until this beat
    assertTrue(found("ownonly"), "refused presences hide nobody");
  }

  @Test
  void aSecondPresenceReplacesTheFirst() throws Exception {
    Credentials me = sharing("twice");
    double before = metric("swarmdex_presences");
    Socket first = hold(me.peerId(), me.token());
    // The first must be in force before the second comes, or the second may arrive first.
    await("the first presence is held", () -> metric("swarmdex_presences") > before);
    try (Socket second = hold(me.peerId(), me.token())) {
      refused(409, answer(first));
      first.close();
      assertTrue(found("twice"), "the replaced presence's end does not hide the peer");
      second.setSoLinger(true, 0);
    }
    await("the current presence's end hides it", () -> !found("twice"));
  }

  interface Call {
    void run() throws Exception;
  }

  static int assertThrowsStatus(Call call) throws Exception {
    try {
      call.run();
    } catch (ApiException e) {
      return e.status();
    }
    throw new AssertionError("no error");
  }
}
