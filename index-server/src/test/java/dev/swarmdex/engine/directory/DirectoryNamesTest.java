package dev.swarmdex.engine.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.catalog.Catalog;
import dev.swarmdex.engine.mesh.DigestBook;
import dev.swarmdex.engine.routing.DigestQuery;
import dev.swarmdex.engine.routing.DigestShape;
import dev.swarmdex.index.identity.StoredIdentities;
import dev.swarmdex.index.store.Database;
import dev.swarmdex.protocol.FileChanges;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.Neighbour;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory's own keyword digest follows its catalog (a real one, with real sessions on H2): as
 * peers publish, change their files and go by every way a session ends, and under concurrency.
 */
class DirectoryNamesTest {
  @TempDir Path dir;
  private Catalog catalog;
  private Database database;
  private ServerSocket peerPort;
  private DirectoryTest.MovableClock clock;
  private Directory directory;
  private DigestBook book;

  @BeforeEach
  void start() throws IOException {
    catalog = Catalog.open(dir.resolve("catalog"));
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    peerPort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    clock = new DirectoryTest.MovableClock();
    directory =
        new Directory(
            catalog,
            new StoredIdentities(database.peers(), clock),
            PortProbe.tcp(Duration.ofSeconds(1), 4),
            clock,
            new DirectorySettings(Duration.ofSeconds(30), Duration.ofSeconds(90), 0, 0));
    book = bookOf();
    directory.onNames(book);
  }

  private static DigestBook bookOf() {
    return new DigestBook(
        DigestShape.STANDARD, () -> "index", () -> List.of(new Neighbour("index", "http://x")));
  }

  @AfterEach
  void stop() throws IOException {
    catalog.close();
    database.close();
    peerPort.close();
  }

  private JoinResponse join(String ip) {
    return directory.join(
        new JoinRequest("p", peerPort.getLocalPort(), 0)
            .signed(PeerKey.generate(), null, clock.millis()),
        ip,
        null);
  }

  private static SharedFile file(String name) {
    try {
      byte[] sha =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return new SharedFile(name, 1, Sha256.of(HexFormat.of().formatHex(sha)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private boolean may(DigestBook of, String words) {
    return of.own().digest().mayMatch(DigestQuery.of(words));
  }

  private void assertEmpty() {
    assertEquals(0, book.own().digest().entries());
    assertEquals(0, book.own().digest().setSlots(), "every slot clear again");
  }

  @Test
  void publishChangesRenamesAndLeavingKeepTheDigestExact() {
    JoinResponse peer = join("127.0.0.2");
    directory.publish(
        peer.peerId(),
        peer.token(),
        new FileList(List.of(file("Hey Jude.mp3"), file("Yesterday.ogg"))));
    assertTrue(may(book, "jude") && may(book, "yesterday"));
    assertEquals(2, book.own().digest().entries());

    SharedFile renamed = new SharedFile("Let It Be.flac", 1, file("Hey Jude.mp3").sha256());
    directory.publishChanges(
        peer.peerId(),
        peer.token(),
        new FileChanges(List.of(renamed), List.of(file("Yesterday.ogg").sha256())));
    assertFalse(may(book, "jude"), "renamed: the old name's words left");
    assertFalse(may(book, "yesterday"), "removed");
    assertTrue(may(book, "let it be"));
    assertEquals(1, book.own().digest().entries());

    DigestBook late = bookOf();
    directory.onNames(late);
    assertTrue(may(late, "let it be"), "a listener added later is told what is held");

    directory.leave(peer.peerId(), peer.token());
    assertEmpty();
  }

  @Test
  void expiryAndKickTakeTheirNamesOut() {
    JoinResponse silent = join("127.0.0.2");
    JoinResponse banned = join("127.0.0.3");
    directory.publish(silent.peerId(), silent.token(), new FileList(List.of(file("A b.mp3"))));
    directory.publish(banned.peerId(), banned.token(), new FileList(List.of(file("C d.mp3"))));
    directory.kick(List.of(), "127.0.0.3");
    assertFalse(may(book, "c d"));
    clock.advance(Duration.ofSeconds(91));
    assertEquals(1, directory.expireSilentPeers());
    assertEmpty();
  }

  @Test
  void countsReturnToZeroWhenEveryPeerLeavesUnderConcurrency() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<JoinResponse>> peers = new ArrayList<>();
      for (int p = 0; p < 32; p++) {
        int n = p;
        peers.add(
            pool.submit(
                () -> {
                  JoinResponse peer = join("127.0." + (n / 4 + 1) + "." + (n % 4 + 2));
                  List<SharedFile> files = new ArrayList<>();
                  for (int i = 0; i < 20; i++) {
                    files.add(file("peer" + n + " song" + i + " live.mp3"));
                  }
                  for (int round = 0; round < 3; round++) {
                    directory.publish(peer.peerId(), peer.token(), new FileList(files));
                    directory.publishChanges(
                        peer.peerId(),
                        peer.token(),
                        new FileChanges(
                            List.of(file("peer" + n + " extra" + round + ".ogg")),
                            List.of(files.get(round).sha256())));
                  }
                  return peer;
                }));
      }
      List<JoinResponse> joined = new ArrayList<>();
      for (Future<JoinResponse> f : peers) {
        joined.add(f.get());
      }
      assertEquals(directory.stats().files(), book.own().digest().entries());
      assertTrue(may(book, "peer7 extra2"));
      List<Future<?>> leaving = new ArrayList<>();
      for (JoinResponse peer : joined.subList(0, 24)) {
        leaving.add(pool.submit(() -> directory.leave(peer.peerId(), peer.token())));
      }
      leaving.add(pool.submit(() -> directory.kick(List.of(joined.get(24).peerId()), null)));
      for (Future<?> f : leaving) {
        f.get();
      }
      clock.advance(Duration.ofSeconds(91));
      assertEquals(7, directory.expireSilentPeers());
      assertEquals(0, directory.stats().files());
      assertEmpty();
    } finally {
      pool.shutdownNow();
    }
  }
}
