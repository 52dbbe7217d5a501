package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.peer.PeerAgentConfig;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.supernode.Supernode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A KaZaA network (an index server in a JVM of its own, three supernodes, agents) whose index
 * server is killed (SIGKILL): searches at the supernodes keep finding live leaves' files, a
 * returning agent rejoins a supernode from its cache on its signed credential, a new identity
 * waits, a new download completes; the index server restarted on its data learns the membership
 * back.
 */
class WithoutIndexServerTest {
  private static final String PASSWORD = "outage test admin password";

  @TempDir Path root;
  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  private <T extends AutoCloseable> T run(T started) {
    running.add(started);
    return started;
  }

  @Test
  void theMeshKeepsWorkingWhileTheIndexServerIsDownAndItLearnsItBack() throws Exception {
    Path password = root.resolve("admin-password");
    Files.writeString(password, PASSWORD);
    Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Path data = root.resolve("index");
    ServerProcess server = run(ServerProcess.start(data, null, password, port, 1, 4));
    AdminClient admin = new AdminClient(server.uri()).login(PASSWORD);

    List<Supernode> supernodes = new ArrayList<>();
    List<String> ids = new ArrayList<>(); // a supernode's id in the mesh is its peer id
    List<Supernode.Config> configs = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      JsonNode issued = admin.post("supernodes", "{\"name\":\"s" + i + "\"}");
      ids.add(issued.get("peerId").asText());
      configs.add(
          new Supernode.Config(
              server.uri(),
              new Credentials(issued.get("peerId").asText(), issued.get("token").asText()),
              InetAddress.getByName("127.0.0.1" + i),
              0,
              root.resolve("s" + i),
              "s" + i,
              Duration.ofSeconds(1),
              Duration.ofSeconds(3)));
      supernodes.add(run(Supernode.start(configs.get(i - 1), () -> {})));
    }
    assertTrue(
        eventually(Duration.ofSeconds(15), () -> supernodes.stream().allMatch(Supernode::isInMesh)),
        "three supernodes in the mesh");

    Path alpha = writeFile(root.resolve("share-a"), "Aurora alpha.mp3", 30_000);
    writeFile(root.resolve("share-b"), "Aurora beta.mp3", 31_000);
    Path gamma = writeFile(root.resolve("share-c"), "Aurora gamma.mp3", 32_000);
    PeerAgent a = run(agent(server.uri(), 21, "share-a"));
    run(agent(server.uri(), 22, "share-b"));
    PeerAgent c = agent(server.uri(), 23, "share-c");
    assertTrue(
        eventually(Duration.ofSeconds(20), () -> foundEverywhere(supernodes, "alpha beta gamma")),
        "every file searchable at every supernode");
    assertTrue(supernodeUris(supernodes).contains(c.directory()), "c is a leaf: " + c.directory());
    c.close(); // leaves; comes back while the index server is down
    for (Path kept :
        List.of(
            root.resolve("state-23/credential.json"),
            root.resolve("state-23/directories.json"),
            root.resolve("s1/directories.json"),
            root.resolve("s1/index-key.json"),
            root.resolve("s1/directory-tokens.json"))) {
      assertTrue(
          eventually(Duration.ofSeconds(5), () -> Files.isRegularFile(kept)), kept + " kept");
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)),
          kept + "");
    }

    // A supernode that joined a moment before the index server died is learnt by the others from
    // the mesh (signed member lists, MemberListGossipTest); this test is about an established
    // mesh, so it waits until every supernode knows every other.
    assertTrue(
        eventually(
            Duration.ofSeconds(20),
            () -> supernodes.stream().allMatch(s -> s.members().size() == supernodes.size() + 1)),
        "every supernode knows the whole mesh before the index server dies");
    // And has had the others' tokens vouched for by the index server (their pings), which is what
    // lets it take their mesh calls while the index server is away.
    List<String> memberIds =
        supernodes.stream()
            .flatMap(s -> s.members().stream())
            .distinct()
            .filter(id -> !id.equals("index"))
            .toList();
    for (String dir : List.of("s1", "s2", "s3")) {
      Path tokens = root.resolve(dir).resolve("directory-tokens.json");
      assertTrue(
          eventually(
              Duration.ofSeconds(20),
              () ->
                  memberIds.stream().filter(id -> readOrEmpty(tokens).contains(id)).count()
                      >= supernodes.size() - 1),
          dir + " holds the other supernodes' vouched tokens");
    }
    server.kill();
    long killedIndex = System.nanoTime();

    // Two failed probes (a heartbeat each) take the index server out of the links; under a loaded
    // machine that and the relinking have taken longer than 10 s, so the bound is 20 s.
    boolean found =
        eventually(Duration.ofSeconds(20), () -> foundEverywhere(supernodes, "alpha beta"));
    assertTrue(
        found,
        () ->
            "live leaves' files still found at every supernode with the index server down: "
                + supernodes.stream()
                    .map(
                        s ->
                            s.uri()
                                + " members "
                                + s.members()
                                + " alpha "
                                + foundAt(s, "alpha")
                                + " beta "
                                + foundAt(s, "beta"))
                    .toList());
    assertFalse(foundAt(supernodes.get(0), "gamma"), "the leaf that left is not listed");

    long rejoinStart = System.nanoTime();
    PeerAgent returning = run(agent(server.uri(), 23, "share-c"));
    assertTrue(
        eventually(Duration.ofSeconds(15), returning::isJoined), "the returning agent rejoins");
    long rejoinedMillis = (System.nanoTime() - rejoinStart) / 1_000_000;
    assertTrue(
        supernodeUris(supernodes).contains(returning.directory()),
        "at a supernode from its cache: " + returning.directory());
    assertTrue(
        eventually(Duration.ofSeconds(10), () -> foundEverywhere(supernodes, "alpha beta gamma")),
        "the returning agent's file is searchable through the mesh");
    long searchableMillis = (System.nanoTime() - rejoinStart) / 1_000_000;

    PeerAgent newcomer = run(agent(server.uri(), 24, "share-d"));
    assertFalse(newcomer.isJoined(), "a new identity waits for the index server");
    assertTrue(newcomer.credentials().isEmpty());

    // Content homes take up to a mesh heartbeat to list a new publish (and the membership just
    // changed: the index server left it), so the download starts once its supernode locates it.
    Sha256 gammaId = sha256(gamma);
    assertTrue(
        eventually(Duration.ofSeconds(10), () -> locates(a.directory(), gammaId)),
        "the returning agent's file located at the downloader's supernode");
    Path out = root.resolve("downloads/gamma.mp3");
    a.download(gammaId, out, null);
    assertArrayEquals(Files.readAllBytes(gamma), Files.readAllBytes(out), "a new download");

    // A supernode dies meanwhile (the returning agent's): the others take it out of their mesh,
    // its leaf moves to a backup, and searches still reach every live leaf.
    Supernode dead = supernodes.remove(2);
    String deadId = ids.remove(2);
    assertTrue(supernodes.get(0).members().contains(deadId), "a member before it dies");
    long killed = System.nanoTime();
    dead.close();
    assertTrue(
        eventually(
            Duration.ofSeconds(15),
            () -> supernodes.stream().noneMatch(s -> s.members().contains(deadId))),
        "the dead supernode leaves the others' membership");
    long droppedMillis = (System.nanoTime() - killed) / 1_000_000;
    assertTrue(
        eventually(Duration.ofSeconds(15), () -> foundEverywhere(supernodes, "alpha beta gamma")),
        "every live leaf's file found at both live supernodes");
    assertTrue(supernodeUris(supernodes).contains(returning.directory()), "moved to a backup");

    // The dead supernode restarts on its address and data while the index server is still away:
    // it links to the members it saw last, and the others take it back when it answers.
    Supernode.Config old = configs.get(2);
    long back = System.nanoTime();
    Supernode revived =
        run(
            Supernode.start(
                new Supernode.Config(
                    old.index(),
                    old.credentials(),
                    old.bind(),
                    dead.uri().getPort(),
                    old.dataDir(),
                    old.name(),
                    old.heartbeat(),
                    old.timeout()),
                () -> {}));
    assertTrue(
        eventually(
            Duration.ofSeconds(15),
            () -> supernodes.stream().allMatch(s -> s.members().contains(deadId))),
        "the restarted supernode is back in the others' membership");
    long backMillis = (System.nanoTime() - back) / 1_000_000;
    assertTrue(
        eventually(Duration.ofSeconds(15), () -> foundEverywhere(List.of(revived), "alpha gamma")),
        "searches at the restarted supernode reach the mesh");
    supernodes.add(revived);
    ids.add(deadId);

    // The outage goes on (-Dswarmdex.outageSeconds=60 for the 60 s; past the supernodes'
    // token cache of 60 s): every live leaf stays found throughout, checked each second.
    long outageEnd = killedIndex + Long.getLong("swarmdex.outageSeconds", 0) * 1_000_000_000L;
    int checks = 0;
    while (System.nanoTime() < outageEnd) {
      assertTrue(
          eventually(Duration.ofSeconds(5), () -> foundEverywhere(supernodes, "alpha beta gamma")),
          "still found "
              + (System.nanoTime() - killedIndex) / 1_000_000_000L
              + " s into the outage");
      checks++;
      Thread.sleep(1000); // the pace of the checks, not a wait for a condition
    }

    // The index server comes back on its data: the supernodes rejoin and it re-adopts them and
    // their leaves.
    long restart = System.nanoTime();
    ServerProcess restarted = run(ServerProcess.start(data, null, password, port, 1, 4));
    AdminClient again = new AdminClient(restarted.uri()).login(PASSWORD);
    Set<String> live = Set.copyOf(ids);
    assertTrue(
        eventually(Duration.ofSeconds(20), () -> adminMembers(again).equals(live)),
        "the restarted index server lists the live supernodes: " + adminMembers(again));
    long relearntMillis = (System.nanoTime() - restart) / 1_000_000;
    assertTrue(
        eventually(Duration.ofSeconds(15), () -> foundAtIndex(restarted.uri(), "alpha beta gamma")),
        "searches at the index server reach every live leaf again");

    System.out.printf(
        "returning agent rejoined in %d ms (searchable everywhere in %d ms); killed supernode left"
            + " the others' membership in %d ms; restarted index server relearnt the mesh in %d"
            + " ms; outage %d s (%d checks); a supernode restarted in the outage was back in"
            + " the others' membership in %d ms%n",
        rejoinedMillis,
        searchableMillis,
        droppedMillis,
        relearntMillis,
        (restart - killedIndex) / 1_000_000_000L,
        checks,
        backMillis);
    assertTrue(alpha.toFile().isFile());
  }

  private static Set<String> adminMembers(AdminClient admin) {
    try {
      Set<String> ids = new HashSet<>();
      admin.get("mesh").get("supernodes").forEach(m -> ids.add(m.get("id").asText()));
      return ids;
    } catch (Exception e) {
      return Set.of();
    }
  }

  private static boolean foundAtIndex(URI index, String words) {
    try (ApiClient client = ApiClient.create(index, Network.address(30))) {
      for (String word : words.split(" ")) {
        if (client.search(SearchQuery.of("aurora " + word), 3).results().stream()
            .noneMatch(r -> r.name().contains(word))) {
          return false;
        }
      }
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private PeerAgent agent(URI index, int host, String share) throws Exception {
    return PeerAgent.start(
        new PeerAgentConfig(
            index,
            Files.createDirectories(root.resolve(share)),
            root.resolve("state-" + host),
            Network.address(host),
            0,
            "peer-" + host,
            Duration.ofMillis(500)));
  }

  private static List<URI> supernodeUris(List<Supernode> supernodes) {
    return supernodes.stream().map(Supernode::uri).toList();
  }

  private static String readOrEmpty(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static boolean foundEverywhere(List<Supernode> supernodes, String words) {
    for (Supernode supernode : supernodes) {
      for (String word : words.split(" ")) {
        if (!foundAt(supernode, word)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean foundAt(Supernode supernode, String word) {
    try (ApiClient client = ApiClient.create(supernode.uri(), Network.address(30))) {
      return client.search(SearchQuery.of("aurora " + word), 3).results().stream()
          .map(SearchResult::name)
          .anyMatch(name -> name.contains(word));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean locates(URI directory, Sha256 content) {
    try (ApiClient client = ApiClient.create(directory, Network.address(30))) {
      return client.locate(content).sources().size() > 0;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Sha256 sha256(Path file) throws Exception {
    return Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  static Optional<String> none() {
    return Optional.empty();
  }
}
