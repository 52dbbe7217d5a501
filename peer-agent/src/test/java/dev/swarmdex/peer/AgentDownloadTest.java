package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code get} handing a download to the running agent: the agent downloads as its peer, saves into
 * its shared folder and publishes the file, so the downloader becomes a source; {@code --no-share}
 * opts out. Real index server, two real agents on 127.0.0.2 and 127.0.0.3, the real CLI.
 */
class AgentDownloadTest {
  @TempDir Path dir;

  private IndexServer server;
  private ApiClient api;
  private PeerAgent holder;
  private PeerAgent downloader;
  private byte[] content;
  private Sha256 sha;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws Exception {
    server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(dir.resolve("index"))
                .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .withRateLimit(0));
    api = ApiClient.create(server.uri(), null);
    Path holderShare = Files.createDirectories(dir.resolve("holder/videos"));
    content = new byte[3 * 1024 * 1024 + 123];
    new Random(7).nextBytes(content);
    Files.write(holderShare.resolve("Holiday Video.mkv"), content);
    sha = Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(content));
    holder = PeerAgent.start(config("holder", dir.resolve("holder"), "127.0.0.2"));
    Files.createDirectories(dir.resolve("mine"));
    downloader = PeerAgent.start(config("mine", dir.resolve("mine"), "127.0.0.3"));
  }

  private PeerAgentConfig config(String name, Path share, String bind) throws Exception {
    return new PeerAgentConfig(
        server.uri(),
        share,
        dir.resolve("state-" + name),
        InetAddress.getByName(bind),
        0,
        name,
        Duration.ofHours(1));
  }

  @AfterEach
  void tearDown() {
    downloader.close();
    holder.close();
    api.close();
    server.close();
  }

  private int get(String... args) {
    out.reset();
    err.reset();
    String[] all = new String[args.length + 1];
    all[0] = "get";
    System.arraycopy(args, 0, all, 1, args.length);
    return PeerAgentMain.run(
        all,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  private Set<String> sourcePeers() {
    return api.locate(sha).sources().stream().map(Source::peer).collect(Collectors.toSet());
  }

  private String peerId(PeerAgent agent) {
    return agent.credentials().orElseThrow().peerId();
  }

  @Test
  void aDownloadLandsInTheSharedFolderAndMakesTheDownloaderASource() throws Exception {
    assertEquals(Set.of(peerId(holder)), sourcePeers());

    int status = get("--state", dir.resolve("state-mine").toString(), sha.hex());

    assertEquals(0, status, output());
    Path saved = dir.resolve("mine/Holiday Video.mkv");
    assertArrayEquals(content, Files.readAllBytes(saved));
    assertTrue(output().contains("shared: this peer is now a source"), output());
    assertEquals(Set.of(peerId(holder), peerId(downloader)), sourcePeers());

    // Asking again finds the shared copy: nothing is fetched or saved twice.
    assertEquals(0, get("--state", dir.resolve("state-mine").toString(), sha.hex()), output());
    assertTrue(output().contains(saved.toString()), output());
    try (var files = Files.list(dir.resolve("mine"))) {
      assertEquals(1, files.filter(p -> !p.getFileName().toString().startsWith(".")).count());
    }
  }

  @Test
  void aDownloadNeverReplacesTheUsersFileOfThatNameNorFollowsALinkOut() throws Exception {
    Path mine = dir.resolve("mine");
    byte[] own = "my own holiday video, not the network's".getBytes(StandardCharsets.UTF_8);
    Files.write(mine.resolve("Holiday Video.mkv"), own);
    // A leftover .part of that name (from some other program, or an old download).
    Files.write(mine.resolve("Holiday Video.mkv.part"), new byte[] {1, 2, 3});
    // The next free name's .part is a link leading out of the shared folder.
    Path outside = Files.write(dir.resolve("outside.txt"), own);
    Files.createSymbolicLink(mine.resolve("Holiday Video (2).mkv.part"), outside);

    PeerAgent.Downloaded done = downloader.download(sha, null, null);

    assertArrayEquals(own, Files.readAllBytes(mine.resolve("Holiday Video.mkv")));
    assertArrayEquals(own, Files.readAllBytes(outside));
    assertEquals(mine.resolve("Holiday Video (3).mkv"), done.file());
    assertArrayEquals(content, Files.readAllBytes(done.file()));
  }

  @Test
  void twoContentsPublishedUnderOneNameDownloadAtOnceIntoTwoFiles() throws Exception {
    byte[] other = new byte[2 * 1024 * 1024 + 7];
    new Random(8).nextBytes(other);
    Path otherFolder = Files.createDirectories(dir.resolve("holder/videos/2025"));
    Files.write(otherFolder.resolve("Holiday Video.mkv"), other);
    Sha256 otherSha = Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(other));
    holder.rescanNow();
    assertEquals("Holiday Video.mkv", api.locate(otherSha).name());

    var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> fetch(sha));
    var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> fetch(otherSha));
    Path a = first.get(60, java.util.concurrent.TimeUnit.SECONDS).file();
    Path b = second.get(60, java.util.concurrent.TimeUnit.SECONDS).file();

    assertNotEquals(a, b);
    assertArrayEquals(content, Files.readAllBytes(a));
    assertArrayEquals(other, Files.readAllBytes(b));
  }

  private PeerAgent.Downloaded fetch(Sha256 which) {
    try {
      return downloader.download(which, null, null);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void noShareSavesElsewhereAndPublishesNothing() throws Exception {
    Path elsewhere = dir.resolve("private/copy.mkv");

    int status =
        get(
            "--state",
            dir.resolve("state-mine").toString(),
            "--no-share",
            "-o",
            elsewhere.toString(),
            sha.hex());

    assertEquals(0, status, output());
    assertArrayEquals(content, Files.readAllBytes(elsewhere));
    assertTrue(output().contains("not shared: as asked"), output());
    assertEquals(Set.of(peerId(holder)), sourcePeers());

    int inside =
        get(
            "--state",
            dir.resolve("state-mine").toString(),
            "--no-share",
            "-o",
            dir.resolve("mine/x.mkv").toString(),
            sha.hex());
    assertEquals(1, inside);
    assertTrue(output().contains("inside the shared folder"), output());
    assertFalse(Files.exists(dir.resolve("mine/x.mkv")));
  }

  @Test
  void aContentNoOneSharesFailsWithOneClearLine() {
    int status = get("--state", dir.resolve("state-mine").toString(), "cd".repeat(32));

    assertEquals(1, status);
    assertTrue(output().contains("no peer shares"), output());
  }

  @Test
  void aLeftoverControlFileNeverHandsTheSecretToWhateverTookThePort() throws Exception {
    // A killed agent's control.json; its port now belongs to another program that answers
    // everything with 200 and records what it is sent.
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer impostor =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    impostor.createContext(
        "/",
        exchange -> {
          seen.add(
              exchange.getRequestURI()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] body = "{\"proof\":\"made-up\",\"state\":\"done\"}".getBytes();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    impostor.start();
    try {
      Path dead = Files.createDirectories(dir.resolve("state-dead"));
      String secret = "s".repeat(43);
      Files.write(
          dead.resolve(LocalControl.FILE),
          Json.write(
              new LocalControl.Endpoint(
                  impostor.getAddress().getPort(), secret, "/tmp", server.uri().toString())));

      int status = get("--state", dead.toString(), sha.hex());

      assertEquals(1, status);
      assertTrue(output().contains("no peer agent answers"), output());
      assertFalse(seen.isEmpty(), "the client did knock");
      for (String request : seen) {
        assertFalse(request.contains(secret), "the secret went to an impostor: " + request);
      }
    } finally {
      impostor.stop(0);
    }
  }

  @Test
  void withoutARunningAgentGetSaysWhatItNeeds() {
    int status = get("--state", dir.resolve("nothing-here").toString(), sha.hex());
    assertEquals(1, status);
    assertTrue(output().contains("no peer agent answers"), output());
  }

  @Test
  void theControlEndpointAnswersOnlyWithItsSecretAndRefusesBadOrders() throws Exception {
    LocalControl.Endpoint endpoint =
        Json.read(
            Files.readAllBytes(dir.resolve("state-mine").resolve(LocalControl.FILE)),
            LocalControl.Endpoint.class);
    Set<java.nio.file.attribute.PosixFilePermission> mode =
        Files.getPosixFilePermissions(dir.resolve("state-mine").resolve(LocalControl.FILE));
    assertEquals(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"), mode, "owner only");
    HttpClient http = HttpClient.newHttpClient();
    URI base = URI.create("http://127.0.0.1:" + endpoint.port() + "/control/v1/");

    HttpResponse<String> none =
        http.send(
            HttpRequest.newBuilder(base.resolve("status")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, none.statusCode());
    assertTrue(none.body().contains("secret"), none.body());

    HttpResponse<String> wrong =
        http.send(
            HttpRequest.newBuilder(base.resolve("status"))
                .header("Authorization", "Bearer " + "x".repeat(43))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, wrong.statusCode());

    for (String body :
        new String[] {
          "{\"sha256\":\"nothex\",\"out\":null}",
          "{\"sha256\":\"" + sha.hex() + "\",\"out\":\"relative/path\"}",
          "{\"sha256\":\"" + sha.hex() + "\",\"out\":null,\"extra\":1}",
          "not json",
          "{\"sha256\":\"" + "a".repeat(20_000) + "\"}"
        }) {
      HttpResponse<String> bad =
          http.send(
              HttpRequest.newBuilder(base.resolve("downloads"))
                  .header("Authorization", "Bearer " + endpoint.token())
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertTrue(bad.statusCode() == 400 || bad.statusCode() == 413, body + " -> " + bad.body());
      assertTrue(bad.body().contains("\"error\""), bad.body());
    }
  }
}
