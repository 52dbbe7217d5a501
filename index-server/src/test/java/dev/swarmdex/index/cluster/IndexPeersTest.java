package dev.swarmdex.index.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.directory.Tokens;
import dev.swarmdex.engine.mesh.MeshRegistry;
import dev.swarmdex.index.store.Database;
import dev.swarmdex.index.store.IndexServerTable;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Neighbour;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Index servers finding each other in the database's table, and dropping out of it. */
class IndexPeersTest {
  private Database database;
  private Instant now = Instant.parse("2026-12-07T12:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };

  @BeforeEach
  void open() {
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  @AfterEach
  void close() {
    database.close();
  }

  private IndexPeers server(String token, String url) {
    IndexPeers peers = new IndexPeers(IndexServerTable.using(database.jdbi()), token, clock);
    peers.setUrl(url);
    return peers;
  }

  @Test
  void twoServersMeshUnderTheSameNamesAndKnowEachOthersTokens() {
    String tokenA = Tokens.newToken();
    String tokenB = Tokens.newToken();
    IndexPeers a = server(tokenA, "http://a:8080");
    IndexPeers b = server(tokenB, "http://b:8080");
    List<Neighbour> own = List.of(new Neighbour(MeshRegistry.INDEX_ID, "http://a:8080"));
    assertEquals(MeshRegistry.INDEX_ID, a.membership(own).self(), "alone: as before");

    a.beat();
    b.beat();
    a.beat();
    IndexPeers.Membership atA = a.membership(own);
    assertEquals(a.id(), atA.self());
    assertEquals(
        List.of(new Neighbour(a.id(), "http://a:8080"), new Neighbour(b.id(), "http://b:8080")),
        atA.members());
    assertEquals(List.of(new Neighbour(b.id(), "http://b:8080")), atA.servers());
    // B calls A with its server token, its supernodes with its mesh token: only the first is B's.
    Credentials toA = b.credentialsTo(URI.create("http://a:8080"));
    Credentials toSupernode = b.credentialsTo(URI.create("http://supernode:8080"));
    assertEquals(tokenB, toSupernode.token());
    assertTrue(!toA.token().equals(tokenB), "a server token apart from the mesh token");
    assertEquals(b.id(), a.serverWithTokenHash(Tokens.hash(toA.token())).orElseThrow());
    assertTrue(a.serverWithTokenHash(Tokens.hash(tokenB)).isEmpty(), "B's mesh token is not B's");
    assertTrue(a.serverWithTokenHash(Tokens.hash(tokenA)).isEmpty(), "its own token is not B's");
    // What A's supernodes learn: A by its mesh token's hash, B by its server token's.
    assertEquals(Tokens.hash(tokenA), a.tokenHashOf(a.id()).orElseThrow());
    assertEquals(Tokens.hash(toA.token()), a.tokenHashOf(b.id()).orElseThrow());
    assertTrue(a.serverWithTokenHash(Tokens.hash("a peer's token")).isEmpty());
  }

  @Test
  void aServerThatStopsOrFallsSilentDropsOut() {
    IndexPeers a = server(Tokens.newToken(), "http://a:8080");
    IndexPeers b = server(Tokens.newToken(), "http://b:8080");
    IndexPeers c = server(Tokens.newToken(), "http://c:8080");
    a.beat();
    b.beat();
    c.beat();
    a.beat();
    assertEquals(2, a.membership(List.of()).servers().size());

    c.leave(); // a clean stop
    a.beat();
    assertEquals(List.of(b.id()), ids(a));

    now = now.plus(IndexPeers.LIVE.minus(Duration.ofMillis(1)));
    a.beat();
    assertEquals(List.of(b.id()), ids(a), "b missed no heartbeat window yet");
    now = now.plus(Duration.ofMillis(2));
    a.beat();
    assertEquals(List.of(), ids(a), "b stopped beating " + IndexPeers.LIVE + " ago");
    assertEquals(MeshRegistry.INDEX_ID, a.membership(List.of()).self(), "alone again");
  }

  private static List<String> ids(IndexPeers peers) {
    return peers.membership(List.of()).servers().stream().map(Neighbour::id).toList();
  }

  @Test
  void aChangeOfAKindANewerServerWroteIsReadAsUnknownNotAFailure() {
    database
        .jdbi()
        .useHandle(
            h ->
                h.execute("INSERT INTO changes (kind, subject, at_ms) VALUES ('RENAME', 'p1', 1)"));
    dev.swarmdex.index.store.ChangeLog.using(database.jdbi())
        .note(dev.swarmdex.index.store.ChangeLog.Kind.BAN, "7");
    List<dev.swarmdex.index.store.ChangeLog.Change> rows =
        dev.swarmdex.index.store.ChangeLog.using(database.jdbi()).after(0, 10);
    assertEquals(2, rows.size());
    assertEquals(null, rows.get(0).kind(), "unknown: skipped by the follower, which goes on");
    assertEquals(dev.swarmdex.index.store.ChangeLog.Kind.BAN, rows.get(1).kind());
  }
}
