package dev.swarmdex.engine.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.swarmdex.engine.catalog.Catalog;
import dev.swarmdex.index.identity.StoredIdentities;
import dev.swarmdex.index.store.Database;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory's answers epoch, what an API reuses a search answer by: equal while nothing a page of
 * results is made of changes, different after anything that would change one (a real catalog and
 * real sessions on H2).
 */
class AnswersEpochTest {
  @TempDir Path dir;
  private Catalog catalog;
  private Database database;
  private ServerSocket peerPort;
  private Directory directory;
  private DirectoryTest.MovableClock clock;
  private final Map<String, Integer> levels = new ConcurrentHashMap<>();
  private final AtomicLong levelWrites = new AtomicLong();

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
    directory.setLevels(peer -> levels.getOrDefault(peer, 0), levelWrites::get);
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

  private static SharedFile song() {
    return new SharedFile("Nina Simone - Feeling Good.mp3", 1, Sha256.of("f".repeat(64)));
  }

  @Test
  void theEpochChangesWithEverythingAnAnswerIsMadeOf() {
    JoinResponse alice = join("127.0.0.2");
    directory.publish(alice.peerId(), alice.token(), new FileList(List.of(song())));
    Object first = directory.answersEpoch();
    SearchResponse answer = directory.search(SearchQuery.of("feeling"));
    assertEquals(1, answer.results().get(0).sources().size());
    assertEquals(first, directory.answersEpoch(), "a search changes nothing");

    JoinResponse bob = join("127.0.0.3");
    Object joined = directory.answersEpoch();
    assertNotEquals(first, joined, "a session started (no entries yet)");

    directory.publish(bob.peerId(), bob.token(), new FileList(List.of(song())));
    Object published = directory.answersEpoch();
    assertNotEquals(joined, published, "a publish became searchable");
    assertEquals(2, directory.search(SearchQuery.of("feeling")).results().get(0).sources().size());

    levels.put(bob.peerId(), 700);
    levelWrites.incrementAndGet();
    Object rated = directory.answersEpoch();
    assertNotEquals(published, rated, "a level changed");
    assertEquals(
        700,
        directory.search(SearchQuery.of("feeling")).results().get(0).sources().get(0).reputation());

    directory.setPublicUrl("http://relay.example:7070");
    Object relayed = directory.answersEpoch();
    assertNotEquals(rated, relayed, "the relay address answers name changed");

    directory.leave(bob.peerId(), bob.token());
    assertNotEquals(relayed, directory.answersEpoch(), "a session ended");
    assertEquals(1, directory.search(SearchQuery.of("feeling")).results().get(0).sources().size());
  }

  @Test
  void levelsThatChangeUnseenMakeNoEpoch() {
    assertNotNull(directory.answersEpoch());
    directory.setLevels(peer -> 0, () -> -1);
    assertNull(directory.answersEpoch(), "a supernode's levels expire and change unseen");
  }
}
