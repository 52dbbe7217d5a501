package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import dev.swarmdex.protocol.SharedFile;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent sharing a folder that holds secrets behind visible symbolic links, with a real index
 * server: nothing hidden is published or served, while plain files and benign links still are; and
 * the agent's secret state is readable by its owner only.
 */
class HiddenFilesTest {
  static final String SONG = "a song anyone may have\n";
  static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY----- not for sharing\n";
  static final String CONFIG = "Host * IdentityFile ~/.ssh/id_rsa\n";
  static final String PRIVATE = "private notes\n";
  static final String OUTSIDE = "a file outside the share\n";
  static final String TOKEN = "an API token, as long as the song\n".substring(0, SONG.length());

  @TempDir Path dir;
  IndexServer server;
  ApiClient api;
  Path share;
  Path state;

  @BeforeEach
  void setUp() throws Exception {
    server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(dir.resolve("index"))
                .withRateLimit(0));
    api = ApiClient.create(server.uri(), null);
    share = Files.createDirectories(dir.resolve("share"));
    state = dir.resolve("state");
  }

  @AfterEach
  void tearDown() {
    api.close();
    server.close();
  }

  static String sha(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  PeerAgent start() throws Exception {
    return PeerAgent.start(
        new PeerAgentConfig(
            server.uri(),
            share,
            state,
            InetAddress.getLoopbackAddress(),
            0,
            "keeper",
            Duration.ofHours(1)));
  }

  /** The contents the index server lists for the agent. */
  Set<String> published(PeerAgent agent) {
    return api.browse(agent.credentials().orElseThrow().peerId(), 200, 0).files().stream()
        .map(f -> f.sha256().hex())
        .collect(Collectors.toSet());
  }

  static HttpResponse<String> get(PeerAgent agent, String sha) throws Exception {
    URI uri = agent.fileServerUri().resolve("/files/" + sha);
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void linksToHiddenFilesPublishAndServeNothing() throws Exception {
    Files.writeString(share.resolve("song.txt"), SONG);
    Path ssh = Files.createDirectories(share.resolve(".ssh"));
    Files.writeString(ssh.resolve("id_rsa"), KEY);
    Files.writeString(ssh.resolve("config"), CONFIG);
    Files.createSymbolicLink(share.resolve("keys"), Path.of(".ssh")); // a visible folder link
    Files.createSymbolicLink(share.resolve("id"), Path.of(".ssh/id_rsa")); // a visible file link
    Path music = Files.createDirectories(share.resolve("music"));
    Files.writeString(music.resolve("tune.txt"), "a tune\n");
    Files.writeString(
        Files.createDirectories(music.resolve(".private")).resolve("notes.txt"), PRIVATE);
    Files.createSymbolicLink(share.resolve("notes"), Path.of("music/.private"));
    Files.createSymbolicLink(share.resolve("tunes"), Path.of("music")); // benign folder link
    Files.createSymbolicLink(share.resolve("copy.txt"), Path.of("song.txt")); // benign file link
    // Outside the share, a visible file and a hidden one: links out are never followed.
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("public.txt"), OUTSIDE);
    Files.writeString(
        Files.createDirectories(outside.resolve(".gnupg")).resolve("secring.txt"), KEY + "2");
    Files.createSymbolicLink(share.resolve("gpg"), outside.resolve(".gnupg"));
    Files.createSymbolicLink(share.resolve("public.txt"), outside.resolve("public.txt"));

    try (PeerAgent agent = start()) {
      assertTrue(agent.isJoined());
      Set<String> published = published(agent);
      assertEquals(Set.of(sha(SONG), sha("a tune\n")), published);
      SearchResponse found = api.search(SearchQuery.of("id_rsa"));
      assertTrue(found.results().isEmpty(), found.toString());
      assertTrue(api.search(SearchQuery.of("notes")).results().isEmpty());

      for (String secret : new String[] {KEY, CONFIG, PRIVATE, KEY + "2", OUTSIDE}) {
        HttpResponse<String> answer = get(agent, sha(secret));
        assertEquals(404, answer.statusCode(), answer.body());
        assertFalse(answer.body().contains("PRIVATE KEY"), answer.body());
      }
      HttpResponse<String> song = get(agent, sha(SONG));
      assertEquals(200, song.statusCode(), song.body());
      assertEquals(SONG, song.body());
      assertEquals(200, get(agent, sha("a tune\n")).statusCode());
    }
  }

  @Test
  void aLinkSwappedAfterTheScanToAHiddenFileIsNotServed() throws Exception {
    // "copy.txt" sorts before "song.txt", so the link is the path the song is served from.
    Path songFile = share.resolve("song.txt");
    Files.writeString(songFile, SONG);
    Path link = Files.createSymbolicLink(share.resolve("copy.txt"), Path.of("song.txt"));
    Path token = Files.createDirectories(share.resolve(".config")).resolve("token");
    Files.writeString(token, TOKEN);
    Files.setLastModifiedTime(token, Files.getLastModifiedTime(songFile));
    assertEquals(Files.size(songFile), Files.size(token));

    try (PeerAgent agent = start()) {
      assertEquals(200, get(agent, sha(SONG)).statusCode());
      // The link now leads to the hidden token of the same size and time: the scan is stale.
      Files.delete(link);
      Files.createSymbolicLink(link, Path.of(".config/token"));
      HttpResponse<String> answer = get(agent, sha(SONG));
      assertFalse(answer.body().contains(TOKEN), answer.body());
      assertEquals(404, answer.statusCode(), answer.body());
    }
  }

  @Test
  void aLinkIntoTheStateFolderInsideTheShareSharesNoSecret() throws Exception {
    Files.writeString(share.resolve("song.txt"), SONG);
    state = share.resolve("state"); // allowed, though unwise: the state folder is not shared
    Files.createSymbolicLink(share.resolve("me.json"), Path.of("state/peer.json"));
    Files.createSymbolicLink(share.resolve("cache"), Path.of("state/supernode"));
    try (PeerAgent agent = start()) {
      Files.createDirectories(state.resolve("supernode"));
      Files.writeString(state.resolve("supernode/x.txt"), PRIVATE);
      agent.rescanNow();
      assertEquals(Set.of(sha(SONG)), published(agent));
      Set<String> names =
          api.browse(agent.credentials().orElseThrow().peerId(), 200, 0).files().stream()
              .map(SharedFile::name)
              .collect(Collectors.toSet());
      assertEquals(Set.of("song.txt"), names);
    }
  }

  @Test
  void theStateFolderAndItsSecretsAreTheOwnersOnly() throws Exception {
    Files.writeString(share.resolve("song.txt"), SONG);
    try (PeerAgent agent = start()) {
      assertTrue(agent.isJoined());
      assertEquals("rwx------", mode(state));
      assertEquals("rw-------", mode(state.resolve("peer.json")));
    }
    // A state folder made earlier by someone else's umask is narrowed on start.
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (PeerAgent agent = start()) {
      assertEquals("rwx------", mode(state));
    }
    // And a nested state folder the agent creates has no open parent of its own making.
    state = dir.resolve("deeper/state");
    try (PeerAgent agent = start()) {
      assertEquals("rwx------", mode(state));
      assertEquals("rw-------", mode(state.resolve("peer.json")));
    }
  }

  static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
