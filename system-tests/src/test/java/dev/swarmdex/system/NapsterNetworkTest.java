package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.BrowseResponse;
import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.Source;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Napster's whole loop on real sockets: an index server on 127.0.0.1 and three peer agents on
 * 127.0.2.2 (another network: results count their sources by /24), 127.0.0.3 and 127.0.0.4 sharing
 * different folders; search, browse, download, Range, and attacks on paths.
 */
class NapsterNetworkTest {
  @TempDir static Path root;
  static Network network;
  static PeerAgent alice; // 127.0.2.2
  static PeerAgent bob; // 127.0.0.3
  static PeerAgent carol; // 127.0.0.4
  static ApiClient fromCarol;
  static byte[] song;
  static byte[] iso;

  @BeforeAll
  static void startNetwork() throws Exception {
    network = new Network(root);
    network.startServer();
    Path a = root.resolve("share-a");
    Path b = root.resolve("share-b");
    Path c = root.resolve("share-c");
    song =
        Files.readAllBytes(
            writeFile(a.resolve("music"), "Nina Simone - Feeling Good.mp3", 300_000));
    writeFile(a, "holiday_photos_2019.zip", 50_000);
    iso = Files.readAllBytes(writeFile(b, "debian-12.2.0-amd64-netinst.iso", 2_000_000));
    writeFile(b, "Feeling Good (live).mp3", 120_000);
    Files.createDirectories(c.resolve("downloads"));
    Files.write(c.resolve("downloads/nina-feeling-good.mp3"), song);
    writeFile(c, "README.txt", 1_000);

    alice = network.startAgentAt("127.0.2.2", a);
    bob = network.startAgent(3, b);
    carol = network.startAgent(4, c);
    fromCarol = network.clientAt(4);
    assertTrue(
        eventually(Duration.ofSeconds(20), () -> fromCarol.stats().files() == 6),
        "all six files published: " + fromCarol.stats());
  }

  @AfterAll
  static void stopNetwork() {
    network.close();
  }

  static String peerId(PeerAgent agent) {
    return agent.credentials().orElseThrow().peerId();
  }

  static SearchResult only(List<SearchResult> results) {
    assertEquals(1, results.size(), results.toString());
    return results.get(0);
  }

  @Test
  void aSearchFromOnePeerFindsAnothersFileAtItsAddress() {
    SearchResult found = only(fromCarol.search(SearchQuery.of("netinst amd64")).results());
    assertEquals("debian-12.2.0-amd64-netinst.iso", found.name());
    assertEquals(2_000_000, found.size());
    assertEquals(FileType.ARCHIVE, found.type());
    Source source = found.sources().get(0);
    assertEquals(peerId(bob), source.peer());
    assertEquals("127.0.0.3", source.ip(), "the IP the server saw on bob's connection");
    assertEquals(bob.port(), source.port());
    assertEquals("http://127.0.0.3:" + bob.port() + "/files/" + found.sha256(), source.url());
    assertFalse(source.firewalled(), "the server reached bob's port");
  }

  @Test
  void theSameContentOnTwoPeersIsOneResultWithBothSources() {
    List<SearchResult> results = fromCarol.search(SearchQuery.of("feeling good")).results();
    assertEquals(2, results.size(), "the studio song (two copies) and the live one");
    SearchResult first = results.get(0);
    assertEquals(
        Set.of("127.0.2.2", "127.0.0.4"),
        first.sources().stream().map(Source::ip).collect(Collectors.toSet()),
        "ranked first because two peers on two networks share it");
    assertEquals(2, first.networks());
    assertEquals(song.length, first.size());
    assertEquals(1, results.get(1).sources().size());
    assertEquals("127.0.0.3", results.get(1).sources().get(0).ip());

    SearchResult audioOver200k =
        only(
            fromCarol
                .search(SearchQuery.of("feeling").withType(FileType.AUDIO).withSize(200_000L, null))
                .results());
    assertEquals(first.sha256(), audioOver200k.sha256());
  }

  @Test
  void getDownloadsFromThePeerThatHasItAndVerifies() throws Exception {
    SearchResult found = only(fromCarol.search(SearchQuery.of("netinst")).results());
    Path out = root.resolve("carol-got/netinst.iso");
    Files.createDirectories(out.getParent());
    try (Downloader downloader = Downloader.create(Network.address(4))) {
      assertEquals(out, downloader.fetch(fromCarol, found.sha256(), out));
    }
    assertArrayEquals(iso, Files.readAllBytes(out));
    assertFalse(Files.exists(out.resolveSibling("netinst.iso.part")));
  }

  @Test
  void curlRangeRequestGetsTheRightBytes() throws Exception {
    assumeTrue(onPath("curl"), "curl is not installed; .ci/run installs it");
    SearchResult found = only(fromCarol.search(SearchQuery.of("netinst")).results());
    Path out = root.resolve("range.bin");
    Process curl =
        new ProcessBuilder(
                "curl",
                "-sS",
                "-f",
                "-r",
                "1000-1999",
                "-o",
                out.toString(),
                found.sources().get(0).url())
            .redirectErrorStream(true)
            .start();
    String log = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, curl.exitValue(), log);
    assertArrayEquals(Arrays.copyOfRange(iso, 1000, 2000), Files.readAllBytes(out));
  }

  @Test
  void browseThroughTheServerAndStraightFromThePeerShowsNamesNotPaths() throws Exception {
    BrowseResponse viaServer = fromCarol.browse(peerId(alice), 50, 0);
    assertEquals(
        List.of("holiday_photos_2019.zip", "Nina Simone - Feeling Good.mp3"),
        viaServer.files().stream().map(SharedFile::name).toList());

    HttpResponse<String> direct =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(alice.fileServerUri().resolve("/files")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, direct.statusCode());
    BrowseResponse fromPeer =
        Json.read(direct.body().getBytes(StandardCharsets.UTF_8), BrowseResponse.class);
    assertEquals(Set.copyOf(viaServer.files()), Set.copyOf(fromPeer.files()));
    assertFalse(direct.body().contains(root.toString()), "no local path leaks");
    assertFalse(direct.body().contains("music/"), "no relative path leaks either");
  }

  @Test
  void aFileAddedToAShareBecomesSearchable() throws Exception {
    writeFile(root.resolve("share-c"), "Brand New Podcast Episode 12.ogg", 10_000);
    assertTrue(
        eventually(
            Duration.ofSeconds(15),
            () -> !fromCarol.search(SearchQuery.of("podcast episode 12")).results().isEmpty()),
        "the agent's rescan published the new file");
  }

  @Test
  void pathTraversalGetsNothingFromAPeerOrTheServer() throws Exception {
    for (String path :
        List.of(
            "/files/../../../../etc/passwd",
            "/files/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/files/..%2f..%2f..%2fetc%2fpasswd",
            "/../../etc/passwd",
            "/files/" + "../".repeat(10) + "etc/hostname",
            "/etc/passwd",
            "/files/music/Nina%20Simone%20-%20Feeling%20Good.mp3")) {
      for (URI target : List.of(alice.fileServerUri(), network.serverUri())) {
        String answer = rawGet(target, path);
        String status = answer.substring(0, answer.indexOf("\r\n"));
        assertTrue(status.matches("HTTP/1\\.1 4\\d\\d .*"), target + path + " -> " + status);
        assertFalse(answer.contains("root:"), target + path + " leaked /etc/passwd");
        assertTrue(answer.contains("application/json"), target + path + " -> " + answer);
      }
    }
  }

  private static String rawGet(URI target, String path) throws IOException {
    try (Socket socket = new Socket(target.getHost(), target.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
