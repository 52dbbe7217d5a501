package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.engine.server.TestCertificate;
import dev.swarmdex.engine.server.TlsIdentity;
import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.ServerTrust;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.supernode.Supernode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network whose index server and supernode serve HTTPS with a self-signed certificate (for
 * 127.0.0.1 and 127.0.0.11, IP subject alternative names), on real sockets: agents and the CLI that
 * pin the certificate join, publish, search and download; the CLI without the pin is refused with
 * one clear line; a TLS supernode takes leaves over HTTPS and the index server floods to it over
 * HTTPS. Peers' own file servers stay plain HTTP.
 */
class TlsNetworkTest {
  static final String PASSWORD = "correct horse battery staple";

  @TempDir static Path certs;
  static TestCertificate certificate;
  static ServerTrust pinned;

  @TempDir Path dir;
  private IndexServer server;
  private final List<AutoCloseable> opened = new java.util.ArrayList<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void certificate() throws Exception {
    certificate = TestCertificate.generate(certs, "swarmdex", "ip:127.0.0.1,ip:127.0.0.11");
    pinned = ServerTrust.pinned(certificate.certPem());
  }

  @BeforeEach
  void startServer() throws Exception {
    server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(dir.resolve("index"))
                .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .withRateLimit(0)
                .withAdminPassword(PASSWORD)
                .withTls(tls())
                .withServerTrust(pinned));
  }

  @AfterEach
  void stopAll() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    server.close();
  }

  private static TlsIdentity tls() {
    return TlsIdentity.fromPem(certificate.certPem(), certificate.keyPem());
  }

  private <T extends AutoCloseable> T open(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  private PeerAgent agent(String name, String bind, Path share) throws Exception {
    return open(
        PeerAgent.start(
            new PeerAgentConfig(
                    server.uri(),
                    share,
                    dir.resolve("state-" + name),
                    InetAddress.getByName(bind),
                    0,
                    name,
                    Duration.ofHours(1))
                .withTrust(pinned)));
  }

  private static Sha256 share(Path folder, String name, byte[] content) throws Exception {
    Files.createDirectories(folder);
    Files.write(folder.resolve(name), content);
    return Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(content));
  }

  private int cli(String... args) {
    out.reset();
    err.reset();
    return PeerAgentMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void anAgentPinningTheCertificateSharesAndIsFoundAndFetchedOverHttps() throws Exception {
    assertEquals("https", server.uri().getScheme());
    byte[] content = new byte[300_000];
    new Random(19).nextBytes(content);
    Sha256 sha = share(dir.resolve("share"), "Sonata in TLS minor.flac", content);
    PeerAgent agent = agent("holder", "127.0.0.41", dir.resolve("share"));
    ApiClient api = open(ApiClient.create(server.uri(), null, pinned));
    assertTrue(
        eventually(() -> !api.search(SearchQuery.of("sonata tls")).results().isEmpty()),
        "the agent joined and published over https");
    SearchResult found = api.search(SearchQuery.of("sonata tls")).results().get(0);
    assertEquals(sha, found.sha256());
    assertEquals(agent.credentials().orElseThrow().peerId(), found.sources().get(0).peer());
    assertTrue(found.sources().get(0).url().startsWith("http://127.0.0.41:"), "peers stay HTTP");

    String url = server.uri().toString();
    String pin = certificate.certPem().toString();
    assertEquals(0, cli("search", "--server", url, "--server-cert", pin, "sonata"), err.toString());
    assertTrue(
        out.toString(StandardCharsets.UTF_8).contains("Sonata in TLS minor"), out.toString());

    Path saved = dir.resolve("fetched.flac");
    assertEquals(
        0,
        cli(
            "get",
            "--server",
            url,
            "--server-cert",
            pin,
            "--bind",
            "127.0.0.42",
            "-o",
            saved.toString(),
            sha.hex()),
        err.toString());
    assertArrayEquals(content, Files.readAllBytes(saved));

    // A magnet link names the directory itself (xs): no --server needed.
    String magnet =
        new dev.swarmdex.protocol.Magnet(sha, "Sonata.flac", (long) content.length, server.uri())
            .text();
    Path linked = dir.resolve("linked.flac");
    assertEquals(
        0,
        cli("get", "--server-cert", pin, "--bind", "127.0.0.43", "-o", linked.toString(), magnet),
        err.toString());
    assertArrayEquals(content, Files.readAllBytes(linked));
  }

  @Test
  void aFirewalledSourceIsRelayedOverHttps() throws Exception {
    byte[] content = new byte[200_000];
    new Random(9).nextBytes(content);
    Sha256 sha = share(dir.resolve("hidden"), "Hidden over TLS.bin", content);
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.46"))) {
      closed = socket.getLocalPort();
    }
    PeerAgent hidden =
        open(
            PeerAgent.start(
                new PeerAgentConfig(
                        server.uri(),
                        dir.resolve("hidden"),
                        dir.resolve("state-hidden"),
                        InetAddress.getByName("127.0.0.46"),
                        0,
                        "hidden",
                        Duration.ofHours(1))
                    .withAdvertisedPort(closed)
                    .withTrust(pinned)));
    assertTrue(hidden.isJoined() && hidden.isFirewalled(), "joined, and found firewalled");
    ApiClient api = open(ApiClient.create(server.uri(), null, pinned));
    assertEquals(server.uri().toString(), api.locate(sha).sources().get(0).via());

    Path saved = dir.resolve("relayed.bin");
    assertEquals(
        0,
        cli(
            "get",
            "--server",
            server.uri().toString(),
            "--server-cert",
            certificate.certPem().toString(),
            "--bind",
            "127.0.0.47",
            "-o",
            saved.toString(),
            sha.hex()),
        err.toString());
    assertArrayEquals(content, Files.readAllBytes(saved));
    assertEquals(content.length, server.bytesRelayed(), "every byte came through the https relay");
  }

  @Test
  void withoutThePinTheCliIsRefusedWithOneClearLine() throws Exception {
    String url = server.uri().toString();
    for (String[] args :
        List.of(
            new String[] {"search", "--server", url, "anything"},
            new String[] {
              "get",
              "--server",
              url,
              "--bind",
              "127.0.0.42",
              "-o",
              dir.resolve("x").toString(),
              "ab".repeat(32)
            })) {
      assertEquals(1, cli(args), out.toString());
      String error = err.toString(StandardCharsets.UTF_8);
      assertEquals(1, error.lines().count(), error);
      assertTrue(error.contains("certificate is not trusted"), error);
      assertTrue(error.contains("--server-cert"), error);
    }
    // A file that holds no certificate is named as the problem.
    Path notACert = Files.writeString(dir.resolve("not.pem"), "hello\n");
    assertEquals(1, cli("search", "--server", url, "--server-cert", notACert.toString(), "x"));
    assertTrue(err.toString().contains("no X.509 certificate in " + notACert), err.toString());
  }

  @Test
  void anAgentWithoutThePinNeverJoins() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("unpinned"));
    share(folder, "Secret handshake.txt", "hello".getBytes(StandardCharsets.UTF_8));
    PeerAgent agent =
        open(
            PeerAgent.start(
                new PeerAgentConfig(
                    server.uri(),
                    folder,
                    dir.resolve("state-unpinned"),
                    InetAddress.getByName("127.0.0.43"),
                    0,
                    "unpinned",
                    Duration.ofHours(1))));
    // start() returns after its first attempt to join, which the handshake refused.
    assertFalse(agent.isJoined());
    assertTrue(agent.credentials().isEmpty(), "no identity came over the untrusted link");
    assertEquals(0, open(ApiClient.create(server.uri(), null, pinned)).stats().peers());
  }

  @Test
  void aTlsSupernodeServesItsLeavesOverHttps() throws Exception {
    Credentials issued = issueSupernode("tls-s1");
    Supernode supernode =
        open(
            Supernode.start(
                new Supernode.Config(
                        server.uri(),
                        issued,
                        InetAddress.getByName("127.0.0.11"),
                        0,
                        dir.resolve("s1"),
                        "tls-s1",
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(3))
                    .withTls(tls())
                    .withTrust(pinned),
                () -> {}));
    assertEquals("https", supernode.uri().getScheme());
    assertTrue(eventually(supernode::isInMesh), "the supernode joined the mesh over https");

    Sha256 sha =
        share(
            dir.resolve("leaf"),
            "Nocturne over TLS.ogg",
            "leaf bytes".getBytes(StandardCharsets.UTF_8));
    PeerAgent leaf = agent("leaf", "127.0.0.45", dir.resolve("leaf"));
    assertTrue(
        eventually(() -> leaf.isJoined() && leaf.directory().equals(supernode.uri())),
        "the leaf attached to the supernode at its https:// address: " + leaf.directory());

    ApiClient atSupernode = open(ApiClient.create(supernode.uri(), null, pinned));
    assertTrue(
        eventually(() -> !atSupernode.search(SearchQuery.of("nocturne tls")).results().isEmpty()),
        "the leaf published to the supernode over https");
    ApiClient atIndex = open(ApiClient.create(server.uri(), null, pinned));
    assertTrue(
        eventually(
            () ->
                atIndex.search(SearchQuery.of("nocturne tls")).results().stream()
                    .anyMatch(r -> r.sha256().equals(sha))),
        "the index server's flood reached the supernode over https");
  }

  /** Logs in as admin over https and issues supernode credentials. */
  private Credentials issueSupernode(String name) throws Exception {
    HttpClient http = new HttpClient();
    http.setSslContextFactory(pinned.sslContextFactory());
    http.start();
    try {
      JsonNode login =
          call(http, null, "login", "{\"name\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
      JsonNode issued =
          call(http, login.get("csrfToken").asText(), "supernodes", "{\"name\":\"" + name + "\"}");
      return new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
    } finally {
      http.stop();
    }
  }

  private JsonNode call(HttpClient http, String csrf, String path, String body) throws Exception {
    var request =
        http.newRequest(URI.create(server.uri() + "/api/v1/admin/" + path))
            .method(HttpMethod.POST)
            .body(new StringRequestContent("application/json", body))
            .timeout(30, TimeUnit.SECONDS);
    if (csrf != null) {
      request.headers(h -> h.put("X-CSRF-Token", csrf));
    }
    ContentResponse answer = request.send();
    assertEquals(200, answer.getStatus() / 100 * 100, path + ": " + answer.getContentAsString());
    return Json.read(answer.getContent(), JsonNode.class);
  }

  private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }
}
