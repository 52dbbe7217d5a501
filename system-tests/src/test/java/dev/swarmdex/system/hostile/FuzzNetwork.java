package dev.swarmdex.system.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.engine.relay.RelaySettings;
import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.peer.PeerAgentConfig;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.BrowseResponse;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileChanges;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.ServerTrust;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.supernode.Supernode;
import dev.swarmdex.system.Network;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The network the fuzz suite attacks, every part on its own 127.0.0.N with real sockets:
 *
 * <ul>
 *   <li>index server A (Napster mode, an admin account): a peer agent whose file server is fuzzed,
 *       and peers joined through the API: a victim (whose routes are fuzzed and who is revived
 *       after each try), a publisher (whose entries must never change on a rejected publish), a
 *       candidate (promoted and demoted by the admin routes) and another peer (whose id and token a
 *       mutation may borrow);
 *   <li>index server B (KaZaA mode) with supernode S in its mesh and two leaves of S (victim and
 *       publisher), plus a ghost directory's credentials for the mesh routes.
 * </ul>
 *
 * Secrets a mutation may name are in {@link #secrets()}.
 */
final class FuzzNetwork implements AutoCloseable {
  static final String ADMIN_PASSWORD = "fuzz admin password, long enough";
  static final Duration HEARTBEAT = Duration.ofSeconds(30);

  /** Long enough that no fixture peer expires during the run, however slow the machine. */
  static final Duration TIMEOUT = Duration.ofMinutes(15);

  /**
   * How long a relay waits for the (never answering) firewalled victim: short, to keep tries fast.
   */
  static final Duration RELAY_WAIT = Duration.ofMillis(200);

  /** Three files every baseline publish holds, all found by the word {@value #WORD}. */
  static final String WORD = "fuzzbaseline";

  final Path root;
  final IndexServer index;
  final IndexServer meshIndex;
  final Supernode supernode;
  final PeerAgent agent;
  final Sha256 agentFile;
  final Peer victim;
  final Peer publisher;
  final Peer candidate;
  final Peer other;
  final Peer leafVictim;
  final Peer leafPublisher;
  final Credentials ghost;
  final int closedPort;
  volatile Admin admin;
  final long banId;
  private final List<AutoCloseable> opened = new ArrayList<>();

  /** A peer joined through the API, from its own address, at one directory. */
  static final class Peer {
    final String name;
    final ApiClient api;
    final InetAddress address;
    final int port;
    volatile Credentials credentials;

    Peer(String name, ApiClient api, InetAddress address, int port, Credentials credentials) {
      this.name = name;
      this.api = api;
      this.address = address;
      this.port = port;
      this.credentials = credentials;
    }

    String id() {
      return credentials.peerId();
    }

    String token() {
      return credentials.token();
    }
  }

  /** An admin session: its cookie value and CSRF token. */
  record Admin(String session, String csrf) {}

  FuzzNetwork(Path root) throws Exception {
    this.root = root;
    try {
      closedPort = closedPort();
      index =
          add(
              IndexServer.start(
                  Config.defaults()
                      .withAddress("127.0.0.1", 0)
                      .withDataDir(root.resolve("index-a"))
                      .withTiming(HEARTBEAT, TIMEOUT)
                      .withRateLimit(0)
                      .withRelayWait(RELAY_WAIT)
                      .withAdminPassword(ADMIN_PASSWORD)));
      Path share = root.resolve("share");
      Network.writeFile(share, "Fuzz Target Song.mp3", 5000);
      Network.writeFile(share, "Empty Fuzz Note.txt", 0);
      agentFile = Sha256.of(sha256(Files.readAllBytes(share.resolve("Fuzz Target Song.mp3"))));
      agent =
          add(
              PeerAgent.start(
                  new PeerAgentConfig(
                      index.uri(),
                      share,
                      root.resolve("agent-state"),
                      Network.address(20),
                      0,
                      "fuzz-agent",
                      Duration.ofSeconds(5))));
      victim = join(index.uri(), 21, "fuzz-victim");
      publisher = join(index.uri(), 22, "fuzz-publisher");
      // The candidate accepts connections (a socket nobody reads), so that it may be promoted.
      ServerSocket listening = add(new ServerSocket(0, 50, Network.address(23)));
      candidate = join(index.uri(), 23, "fuzz-candidate", listening.getLocalPort());
      other = join(index.uri(), 24, "fuzz-other");
      for (Peer peer : List.of(victim, publisher, candidate, other)) {
        baseline(peer);
      }
      admin = login(index.uri());
      JsonNode ban =
          adminCall(
              index.uri(), admin, "POST", "bans", "{\"ip\":\"203.0.113.7\",\"reason\":\"x\"}");
      banId = ban.get("ban").get("id").asLong();

      meshIndex =
          add(
              IndexServer.start(
                  Config.defaults()
                      .withAddress("127.0.0.1", 0)
                      .withDataDir(root.resolve("index-b"))
                      .withTiming(HEARTBEAT, TIMEOUT)
                      .withRateLimit(0)
                      .withAdminPassword(ADMIN_PASSWORD)));
      Admin meshAdmin = login(meshIndex.uri());
      Credentials sn = supernodeCredentials(meshAdmin, "fuzz-sn");
      ghost = supernodeCredentials(meshAdmin, "fuzz-ghost");
      supernode =
          add(
              Supernode.start(
                  new Supernode.Config(
                      meshIndex.uri(),
                      sn,
                      Network.address(30),
                      0,
                      root.resolve("supernode"),
                      "fuzz-sn",
                      HEARTBEAT,
                      TIMEOUT,
                      new RelaySettings(1024 * 1024L, 16, RELAY_WAIT),
                      null,
                      null,
                      ServerTrust.system()),
                  () -> {}));
      if (!Network.eventually(Duration.ofSeconds(20), supernode::isInMesh)) {
        throw new IllegalStateException("the supernode did not join the mesh");
      }
      leafVictim = leaf(31, "fuzz-leaf-victim");
      leafPublisher = leaf(32, "fuzz-leaf-publisher");
      baseline(leafVictim);
      baseline(leafPublisher);
      if (!Network.eventually(
          Duration.ofSeconds(30),
          () ->
              agent.isJoined()
                  && !other.api.search(SearchQuery.of("fuzz target song")).results().isEmpty())) {
        throw new IllegalStateException("the agent did not publish its files");
      }
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /** What a mutation may name: another peer's id and token, the admin session, a content id. */
  Map<String, String> secrets() {
    Admin now = admin;
    return Map.of(
        "otherToken", other.token(),
        "otherPeer", other.id(),
        "csrf", now.csrf(),
        "session", now.session(),
        "sha", agentFile.hex());
  }

  /** The three files every baseline holds. */
  static FileList baselineFiles() {
    List<SharedFile> files = new ArrayList<>();
    for (String name : List.of("One", "Two", "Three")) {
      String full = WORD + " " + name + ".ogg";
      files.add(
          new SharedFile(
              full, full.length(), Sha256.of(sha256(full.getBytes(StandardCharsets.UTF_8)))));
    }
    return new FileList(files);
  }

  /**
   * Puts {@code peer}'s entries back to the baseline, rejoining it first when its session ended.
   */
  void baseline(Peer peer) {
    retrying(
        () -> {
          try {
            return peer.api.publish(peer.credentials, baselineFiles());
          } catch (ApiException e) {
            if (e.status() != 409 && e.status() != 401 && e.status() != 404) {
              throw e;
            }
            rejoin(peer);
            return peer.api.publish(peer.credentials, baselineFiles());
          }
        });
  }

  /**
   * Keeps {@code peer} online with its baseline: a heartbeat, and a rejoin and a baseline publish
   * when its session is gone (a successful leave) or its entries changed (a successful publish or
   * rejoin).
   */
  void revive(Peer peer) {
    try {
      retrying(() -> peer.api.heartbeat(peer.credentials));
      if (retrying(() -> peer.api.browse(peer.id(), 1, 0)).total() == 3) {
        return;
      }
    } catch (ApiException e) {
      // gone: the baseline rejoins it
    }
    baseline(peer);
  }

  private void rejoin(Peer peer) {
    peer.credentials =
        retrying(
            () ->
                peer.api
                    .join(new JoinRequest(peer.name, peer.port, 0), peer.credentials)
                    .credentials());
  }

  /** The peer's entries as browsing shows them, in content order. */
  List<SharedFile> entries(Peer peer) {
    BrowseResponse page = retrying(() -> peer.api.browse(peer.id(), 200, 0));
    List<SharedFile> files = new ArrayList<>(page.files());
    files.sort(Comparator.comparing(f -> f.sha256().hex()));
    return files;
  }

  /** How many results of a search for {@value #WORD} list {@code peer} as a source. */
  long searchHits(Peer peer) {
    return retrying(
            () -> peer.api.search(new SearchQuery(WORD, null, null, null, 50, 0), 0).results())
        .stream()
        .filter(r -> r.sources().stream().anyMatch(s -> s.peer().equals(peer.id())))
        .count();
  }

  /**
   * Waits for every change the directory holds for {@code peer} to be searchable (an empty change
   * that waits for the next refresh) and answers the entry count it reports.
   */
  int settle(Peer peer) {
    return retrying(
            () -> peer.api.publishChanges(peer.credentials, new FileChanges(List.of(), List.of())))
        .entries();
  }

  /** Logs in (again) at index server A when the admin session has ended. */
  void keepAdminSession() throws IOException {
    RawHttp.Answer session =
        RawHttp.send(
            Probe.of(index.uri(), Network.address(1), "GET", "/api/v1/admin/session", "")
                .withHeader("Cookie", "swarmdex_admin=" + admin.session()),
            Duration.ofSeconds(10));
    if (session.status() != 200) {
      admin = login(index.uri());
    }
  }

  /** Everything an admin change could touch at A, as text: bans, mesh, roles, newest audit id. */
  String adminState() throws IOException {
    StringBuilder state = new StringBuilder();
    state.append(adminCall(index.uri(), admin, "GET", "bans", null)).append('\n');
    state.append(adminCall(index.uri(), admin, "GET", "mesh", null)).append('\n');
    List<String> roles = new ArrayList<>();
    adminCall(index.uri(), admin, "GET", "peers", null)
        .get("peers")
        .forEach(p -> roles.add(p.get("peerId").asText() + "=" + p.get("role").asText()));
    roles.sort(null);
    state.append(roles).append('\n');
    JsonNode audit = adminCall(index.uri(), admin, "GET", "audit?limit=1", null).get("entries");
    state.append(audit.isEmpty() ? "no audit" : audit.get(0).get("id").asText());
    return state.toString();
  }

  /** One admin call with the session, failing unless it answers 2xx. */
  static JsonNode adminCall(URI server, Admin admin, String method, String path, String json)
      throws IOException {
    String[] target = path.split("\\?", 2);
    Probe probe =
        Probe.of(
                server,
                Network.address(1),
                method,
                "/api/v1/admin/" + target[0],
                target.length > 1 ? target[1] : "")
            .withHeader("Cookie", "swarmdex_admin=" + admin.session())
            .withHeader("X-CSRF-Token", admin.csrf());
    if (json != null) {
      probe = probe.withJson(json);
    }
    RawHttp.Answer answer = RawHttp.send(probe, Duration.ofSeconds(10));
    if (answer.status() / 100 != 2) {
      throw new IllegalStateException(method + " " + path + " -> " + answer);
    }
    return answer.json();
  }

  private static Admin login(URI server) throws IOException {
    RawHttp.Answer answer =
        RawHttp.send(
            Probe.of(server, Network.address(1), "POST", "/api/v1/admin/login", "")
                .withJson("{\"name\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}"),
            Duration.ofSeconds(30));
    String cookie = answer.header("Set-Cookie");
    if (answer.status() != 200 || cookie == null) {
      throw new IllegalStateException("admin login failed: " + answer);
    }
    String session = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
    return new Admin(session, answer.json().get("csrfToken").asText());
  }

  private Credentials supernodeCredentials(Admin admin, String name) throws IOException {
    JsonNode issued =
        adminCall(meshIndex.uri(), admin, "POST", "supernodes", "{\"name\":\"" + name + "\"}");
    return new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
  }

  private Peer join(URI server, int host, String name) {
    return join(server, host, name, closedPort);
  }

  private Peer join(URI server, int host, String name, int port) {
    ApiClient api = add(ApiClient.create(server, Network.address(host)));
    Credentials credentials = api.join(new JoinRequest(name, port, 0), null).credentials();
    return new Peer(name, api, Network.address(host), port, credentials);
  }

  /** A leaf of the supernode: its identity from index server B, its session at S. */
  private Peer leaf(int host, String name) {
    ApiClient atIndex = add(ApiClient.create(meshIndex.uri(), Network.address(host)));
    Credentials issued = atIndex.join(new JoinRequest(name, closedPort, 0), null).credentials();
    // The same key as at the index server: a rejoin is signed with the identity's registered key.
    ApiClient atSupernode =
        add(ApiClient.create(supernode.uri(), Network.address(host), atIndex.key()));
    Credentials credentials =
        atSupernode.join(new JoinRequest(name, closedPort, 0), issued).credentials();
    return new Peer(name, atSupernode, Network.address(host), closedPort, credentials);
  }

  /**
   * Runs {@code call}, waiting out {@code 429 rate_limited} answers (the supernode limits each
   * address and peer to 100 calls a second) for at most 30 s.
   */
  static <T> T retrying(Supplier<T> call) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        return call.get();
      } catch (ApiException e) {
        if (e.status() != 429 || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(Math.max(100, Math.min(2000, e.retryAfterSeconds() * 1000)));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private <T> T add(T resource) {
    if (resource instanceof AutoCloseable closeable) {
      opened.add(closeable);
    }
    return resource;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        // closing what is left matters more
      }
    }
  }
}
