package dev.swarmdex.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.FileChanges;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.Stats;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API over real sockets against a real server with an H2 file and a Lucene index on disk. */
class ApiHandlerTest {
  @TempDir static Path data;
  static IndexServer server;
  static ApiClient api;
  static HttpClient raw;
  static ServerSocket fakePeerPort;

  @BeforeAll
  static void start() throws IOException {
    fakePeerPort = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    server =
        IndexServer.start(
            Config.defaults().withAddress("127.0.0.1", 0).withDataDir(data).withRateLimit(0));
    api = ApiClient.create(server.uri(), null);
    raw = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() throws IOException {
    api.close();
    server.close();
    fakePeerPort.close();
  }

  static Sha256 sha(String text) throws Exception {
    return Sha256.ofDigest(
        MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static SharedFile file(String name) throws Exception {
    return new SharedFile(name, name.length() * 1000L, sha(name));
  }

  static JoinResponse join(String name) {
    return api.join(new JoinRequest(name, fakePeerPort.getLocalPort(), 0), null);
  }

  static HttpResponse<String> send(String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.uri() + path))
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return raw.send(request.build(), BodyHandlers.ofString());
  }

  /** Asserts a 4xx answer with a JSON error body; returns the message. */
  static String refused(int status, HttpResponse<String> response) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
    ErrorBody error = Json.read(response.body().getBytes(StandardCharsets.UTF_8), ErrorBody.class);
    assertNotNull(error.error());
    assertFalse(error.error().contains("Exception"), error.error());
    return error.error();
  }

  @Test
  void joinPublishSearchBrowseAndLeave() throws Exception {
    JoinResponse peer = join("alice");
    assertEquals("127.0.0.1", peer.ip(), "the IP comes from the connection");
    assertFalse(peer.firewalled(), "the probe reached the listening port");
    Credentials me = peer.credentials();
    api.publish(
        me, new FileList(List.of(file("Nina Simone - Feeling Good.mp3"), file("holiday.zip"))));

    SearchResponse found = api.search(SearchQuery.of("feeling goo"));
    assertEquals(1, found.results().size());
    var result = found.results().get(0);
    assertEquals("Nina Simone - Feeling Good.mp3", result.name());
    assertEquals("audio", result.type().label());
    assertEquals(me.peerId(), result.sources().get(0).peer());
    assertEquals(
        "http://127.0.0.1:" + fakePeerPort.getLocalPort() + "/files/" + result.sha256(),
        result.sources().get(0).url());

    assertEquals(me.peerId(), api.locate(result.sha256()).sources().get(0).peer());
    var browse = api.browse(me.peerId(), 10, 0);
    assertEquals(2, browse.total());
    assertEquals("holiday.zip", browse.files().get(0).name());

    api.publishChanges(
        me, new FileChanges(List.of(file("new song.ogg")), List.of(sha("holiday.zip"))));
    assertEquals(1, api.search(SearchQuery.of("new song")).results().size());
    assertEquals(0, api.search(SearchQuery.of("holiday")).results().size());

    api.leave(me);
    assertEquals(0, api.search(SearchQuery.of("feeling")).results().size());
    assertEquals(404, assertThrows(ApiException.class, () -> api.locate(result.sha256())).status());
    assertEquals(409, assertThrows(ApiException.class, () -> api.heartbeat(me)).status(), "rejoin");
    JoinResponse again = api.join(new JoinRequest("alice", fakePeerPort.getLocalPort(), 0), me);
    assertEquals(me.peerId(), again.peerId(), "a rejoin keeps the identity");
  }

  @Test
  void aPeerChangesOnlyItsOwnEntries() throws Exception {
    Credentials bob = join("bob").credentials();
    Credentials eve = join("eve").credentials();
    api.publish(bob, new FileList(List.of(file("bob only.txt"))));
    String forged = Json.writeString(new FileList(List.of()));
    refused(403, send("PUT", "/api/v1/peers/" + bob.peerId() + "/files", forged, eve.token()));
    refused(401, send("PUT", "/api/v1/peers/" + bob.peerId() + "/files", forged, null));
    refused(401, send("PUT", "/api/v1/peers/" + bob.peerId() + "/files", forged, "nonsense"));
    refused(403, send("DELETE", "/api/v1/peers/" + bob.peerId(), null, eve.token()));
    assertEquals(1, api.search(SearchQuery.of("bob only")).results().size(), "nothing changed");
  }

  @Test
  void aPublishCanAnswerOnceAcceptedAndIsSearchableSoonAfter() throws Exception {
    Credentials dave = join("dave").credentials();
    assertEquals(
        2,
        api.publish(
                dave,
                new FileList(List.of(file("dave accepted one.ogg"), file("dave accepted two.ogg"))),
                PublishWait.ACCEPTED)
            .entries(),
        "the count is exact as soon as the answer comes");
    assertEquals(
        3,
        api.publishChanges(
                dave,
                new FileChanges(
                    List.of(file("dave accepted three.ogg"), file("dave accepted two.ogg")),
                    List.of()),
                PublishWait.ACCEPTED)
            .entries(),
        "a change right after an accepted publish sees its entries: two is not counted twice");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (api.search(SearchQuery.of("dave accepted")).results().size() < 3
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(
        List.of("dave accepted one.ogg", "dave accepted three.ogg", "dave accepted two.ogg"),
        api.search(SearchQuery.of("dave accepted")).results().stream()
            .map(SearchResult::name)
            .sorted()
            .toList());

    String path = "/api/v1/peers/" + dave.peerId() + "/files";
    String empty = Json.writeString(new FileList(List.of()));
    for (String bad : List.of("?wait=later", "?wait=ACCEPTED", "?wait=", "?wait=accepted&wait=x")) {
      String message = refused(400, send("PUT", path + bad, empty, dave.token()));
      assertTrue(message.contains("wait"), bad + ": " + message);
      refused(400, send("POST", path + "/changes" + bad, "{\"added\":[]}", dave.token()));
    }
    assertEquals(3, api.browse(dave.peerId(), 10, 0).total(), "a refused wait changes nothing");
  }

  @Test
  void badPublishesChangeNothing() throws Exception {
    Credentials carol = join("carol").credentials();
    api.publish(carol, new FileList(List.of(file("carol keeps this.pdf"))));
    String path = "/api/v1/peers/" + carol.peerId() + "/files";
    String good = "{\"name\":\"ok.txt\",\"size\":1,\"sha256\":\"" + sha("ok") + "\"}";

    assertTrue(
        refused(
                400,
                send(
                    "PUT",
                    path,
                    "{\"files\":[" + good + ",{\"name\":\"x\",\"size\":1,\"sha256\":\"zz\"}]}",
                    carol.token()))
            .contains("sha256"));
    assertTrue(
        refused(
                400,
                send("PUT", path, "{\"files\":[" + good + "], \"ip\":\"6.6.6.6\"}", carol.token()))
            .contains("ip"));
    // A folder that escapes the share, is absolute or hidden is refused with the whole publish.
    for (String folder : new String[] {"../../etc", "/etc", "Music/../..", ".ssh", "a//b"}) {
      String hostile =
          "{\"name\":\"x.txt\",\"size\":1,\"sha256\":\""
              + sha("x")
              + "\",\"folder\":\""
              + folder
              + "\"}";
      assertTrue(
          refused(
                  400,
                  send("PUT", path, "{\"files\":[" + good + "," + hostile + "]}", carol.token()))
              .contains("folder"),
          folder);
    }
    refused(400, send("PUT", path, "{\"files\":[", carol.token()));
    refused(400, send("PUT", path, "", carol.token()));
    refused(
        400,
        send(
            "PUT",
            path,
            "{\"files\":[{\"name\":\"x\",\"size\":-1,\"sha256\":\"" + sha("x") + "\"}]}",
            carol.token()));

    List<String> many = new ArrayList<>();
    for (int i = 0; i <= 10_000; i++) {
      many.add(good);
    }
    assertTrue(
        refused(
                400,
                send("PUT", path, "{\"files\":[" + String.join(",", many) + "]}", carol.token()))
            .contains("10000"));
    // A body declared too large is refused at once, before any of it is read: send only the
    // headers (a client still uploading could see the connection close before the answer).
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("PUT "
                      + path
                      + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + carol.token()
                      + "\r\nContent-Type: application/json\r\nContent-Length: "
                      + (5 * 1024 * 1024)
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      assertTrue(answer.contains("\"code\":\"too_large\""), answer);
    }

    var browse = api.browse(carol.peerId(), 10, 0);
    assertEquals(
        List.of("carol keeps this.pdf"), browse.files().stream().map(SharedFile::name).toList());
  }

  @Test
  void hostileQueriesAreJustWordsOrAClearError() throws Exception {
    Credentials dave = join("dave").credentials();
    api.publish(dave, new FileList(List.of(file("foo and bar.txt"))));
    for (String q :
        List.of("foo AND (", "name:x", "foo~2", "\"foo", "foo\\", "f*o", "[a TO z]", "+foo -bar")) {
      HttpResponse<String> answer = get("/api/v1/search?q=" + enc(q));
      assertEquals(200, answer.statusCode(), q + " -> " + answer.body());
      Json.read(answer.body().getBytes(StandardCharsets.UTF_8), SearchResponse.class);
    }
    assertEquals(1, api.search(SearchQuery.of("foo AND (")).results().size(), "'and' is a word");
    assertTrue(refused(400, get("/api/v1/search?q=" + enc("*"))).contains("no words"));
    assertTrue(refused(400, get("/api/v1/search?q=" + "x".repeat(1024))).contains("longer"));
    assertEquals("URI Too Long", refused(414, get("/api/v1/search?q=" + "x".repeat(10 * 1024))));
    refused(400, get("/api/v1/search"));
    refused(400, get("/api/v1/search?q=a&limit=x"));
    refused(400, get("/api/v1/search?q=a&limit=100000"));
    refused(400, get("/api/v1/search?q=a&type=movies"));
    refused(400, get("/api/v1/search?q=a&minSize=9&maxSize=1"));
    refused(400, get("/api/v1/files/not-a-hash"));
    for (String undecodable : List.of("%zz", "%C3%28", "%")) {
      String answer = rawGet("/api/v1/search?q=" + undecodable);
      assertTrue(answer.startsWith("HTTP/1.1 400"), undecodable + " -> " + answer);
      assertTrue(answer.contains("\"code\":\"bad_request\""), answer);
    }
    refused(404, get("/api/v1/nothing"));
    refused(404, get("/api/v1/peers/p000000000000000000/files"));
    refused(405, send("DELETE", "/api/v1/search?q=a", null, null));
  }

  @Test
  void statsCountPeersFilesAndBytes() throws Exception {
    Stats before = api.stats();
    Credentials erin = join("erin").credentials();
    api.publish(erin, new FileList(List.of(file("a.mp3"), file("bb.mp3"))));
    Stats after = api.stats();
    assertEquals(before.peers() + 1, after.peers());
    assertEquals(before.files() + 2, after.files());
    assertEquals(before.bytes() + 5000 + 6000, after.bytes());
  }

  @Test
  void malformedHttpGetsJsonNotHtml() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /api/v1/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
      assertTrue(answer.contains("application/json"), answer);
      assertFalse(answer.toLowerCase().contains("<html"), answer);
    }
    HttpResponse<String> health = get("/health");
    assertEquals(200, health.statusCode());
    assertEquals("{\"status\":\"ok\"}", health.body());
  }

  /**
   * Jetty's own refusals (here an ambiguous empty path segment) are JSON for every method, not only
   * GET, POST and HEAD; OPTIONS, answered by Jetty through the same handler, stays an empty 200
   * (found by the fuzz suite in system-tests).
   */
  @Test
  void jettysOwnRefusalsAreJsonWhateverTheMethod() throws Exception {
    for (String method : List.of("PUT", "DELETE", "PATCH", "GET")) {
      String answer = rawRequest(method + " //api/v1/stats");
      assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
      assertTrue(answer.contains("application/json"), answer);
      assertTrue(answer.contains("\"error\":"), answer);
    }
    String options = rawRequest("OPTIONS /index.html");
    assertTrue(options.startsWith("HTTP/1.1 200"), options);
  }

  @Test
  void rateLimitAnswers429WithRetryAfter(@TempDir Path otherData) throws Exception {
    try (IndexServer limited =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(otherData)
                .withRateLimit(5))) {
      int ok = 0;
      HttpResponse<String> last = null;
      for (int i = 0; i < 40; i++) {
        last =
            raw.send(
                HttpRequest.newBuilder(URI.create(limited.uri() + "/api/v1/stats")).build(),
                BodyHandlers.ofString());
        if (last.statusCode() == 200) {
          ok++;
        } else {
          break;
        }
      }
      assertTrue(ok >= 5 && ok < 40, "a burst is allowed, then refused; ok=" + ok);
      refused(429, last);
      assertNotEquals("", last.headers().firstValue("retry-after").orElse(""));
    }
  }

  @Test
  void aCallerWithoutTheTokenCannotSpendAPeersAllowance(@TempDir Path otherData) throws Exception {
    try (IndexServer limited =
            IndexServer.start(
                Config.defaults()
                    .withAddress("127.0.0.1", 0)
                    .withDataDir(otherData)
                    .withRateLimit(5));
        ApiClient victim =
            ApiClient.create(limited.uri(), java.net.InetAddress.getByName("127.0.0.9"))) {
      Credentials me = victim.join(new JoinRequest("victim", 6346, 0), null).credentials();
      int refusedAsUnauthorized = 0;
      int throttled = 0;
      for (int i = 0; i < 40; i++) {
        HttpResponse<String> attack =
            raw.send(
                HttpRequest.newBuilder(
                        URI.create(limited.uri() + "/api/v1/peers/" + me.peerId() + "/heartbeat"))
                    .POST(BodyPublishers.noBody())
                    .build(),
                BodyHandlers.ofString());
        if (attack.statusCode() == 401) {
          refusedAsUnauthorized++;
          assertTrue(
              attack.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"));
        } else {
          assertEquals(429, attack.statusCode(), attack.body());
          throttled++;
        }
      }
      assertTrue(
          refusedAsUnauthorized > 0 && throttled > 0, "the attacker's own address is throttled");
      for (int i = 0; i < 5; i++) {
        assertEquals(30, victim.heartbeat(me).heartbeatSeconds(), "the victim still beats");
      }
    }
  }

  @Test
  void peersPerAddressAreCappedWithAClearAnswer(@TempDir Path otherData) throws Exception {
    try (IndexServer capped =
            IndexServer.start(
                Config.defaults()
                    .withAddress("127.0.0.1", 0)
                    .withDataDir(otherData)
                    .withRateLimit(0)
                    .withMaxPeersPerIp(2));
        ApiClient client = ApiClient.create(capped.uri(), null)) {
      client.join(new JoinRequest("one", 6346, 0), null);
      client.join(new JoinRequest("two", 6346, 0), null);
      ApiException third =
          assertThrows(
              ApiException.class, () -> client.join(new JoinRequest("three", 6346, 0), null));
      assertEquals(429, third.status());
      assertEquals("too_many_peers", third.code());
      assertTrue(third.retryAfterSeconds() > 0);
    }
  }

  /** Sends {@code "METHOD TARGET"} exactly as written, with no body. */
  static String rawRequest(String requestLine) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket
          .getOutputStream()
          .write(
              (requestLine + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** Sends a GET exactly as written, which no well-behaved client would. */
  static String rawGet(String pathAndQuery) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket
          .getOutputStream()
          .write(
              ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return send("GET", pathAndQuery, null, null);
  }

  static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  void meshCallsNeedADirectorysToken() throws Exception {
    Credentials plainPeer = join("mallory").credentials();
    String query =
        "{\"id\":\"q1\",\"ttl\":1,\"hops\":0,\"budgetMillis\":500,\"query\":{\"text\":\"x\","
            + "\"type\":null,\"minSize\":null,\"maxSize\":null,\"limit\":10,\"offset\":0}}";
    refused(401, send("POST", "/api/v1/mesh/query", query, null));
    refused(401, send("POST", "/api/v1/mesh/query", query, "made-up-token"));
    assertTrue(
        refused(403, send("POST", "/api/v1/mesh/query", query, plainPeer.token()))
            .contains("supernodes"));
    refused(
        403, send("POST", "/api/v1/mesh/join", "{\"name\":\"x\",\"port\":1}", plainPeer.token()));
    refused(
        403,
        send(
            "POST",
            "/api/v1/mesh/verify",
            "{\"token\":\"" + plainPeer.token() + "\"}",
            plainPeer.token()));
  }

  /**
   * A refusal of a request whose body has not arrived yet (a 401 needs no body) must not leave its
   * connection silently closed: a client that pools connections (the JDK's does) would send its
   * next request into it and read no answer at all ("header parser received no bytes"). Jetty did
   * so now and then (seen in a run of this class, not alone).
   */
  @Test
  void aRequestRefusedBeforeItsBodyCameLeavesTheConnectionUsable() throws Exception {
    String body = "{\"id\":\"q1\"}";
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      var out = socket.getOutputStream();
      var in = new java.io.BufferedInputStream(socket.getInputStream());
      out.write(
          ("POST /api/v1/mesh/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + body.length()
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // Give the server the chance to answer before the body comes (it did, and then closed).
      socket.setSoTimeout(1_000);
      String first = null;
      try {
        first = answerHead(in);
      } catch (java.net.SocketTimeoutException waitingForTheBody) {
        // it reads the body first: fine
      }
      socket.setSoTimeout(20_000);
      out.write(body.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      if (first == null) {
        first = answerHead(in);
      }
      assertTrue(first.startsWith("HTTP/1.1 401"), first);
      if (first.toLowerCase(java.util.Locale.ROOT).contains("connection: close")) {
        return; // said so: no client reuses it
      }
      out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String next = answerHead(in);
      assertTrue(next.startsWith("HTTP/1.1 200"), "the same connection answers again: " + next);
    }
  }

  /** Reads one answer's head and body (by Content-Length); returns the head. */
  private static String answerHead(java.io.InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection was closed; got: " + head);
      }
      head.append((char) b);
    }
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    if (length.find()) {
      in.readNBytes(Integer.parseInt(length.group(1)));
    }
    return head.toString();
  }
}
