package dev.swarmdex.index.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.index.store.BanStore;
import dev.swarmdex.index.store.Database;
import dev.swarmdex.protocol.JoinRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bans by address on in-memory H2: one address, however either side spells it. */
class BanListTest {
  /** Identities that issue anything: only the bans can refuse. */
  static final class Open implements Identities {
    @Override
    public Optional<Identity> byToken(String token) {
      return Optional.empty();
    }

    @Override
    public void checkJoin(Identity identity, String token, JoinRequest join) {}

    @Override
    public Issued issue(
        String name,
        String ip,
        int port,
        boolean firewalled,
        long capacityKiBps,
        String publicKey,
        Instant now) {
      return new Issued(new Identity("p" + "0".repeat(31), name, "hash", "peer"), "token");
    }

    @Override
    public void sessionStarted(
        String peerId,
        String name,
        String ip,
        int port,
        boolean firewalled,
        long capacityKiBps,
        Instant now) {}

    @Override
    public void seen(String peerId, Instant when) {}
  }

  final Database db = Database.open("jdbc:h2:mem:bans-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  final BanStore store = BanStore.using(db.jdbi());

  @AfterEach
  void close() {
    db.close();
  }

  private static void refused(BanList bans, String ip) {
    DirectoryException refused =
        assertThrows(
            DirectoryException.class,
            () -> bans.issue("peer", ip, 6346, false, 0, null, Instant.now()),
            ip);
    assertEquals(DirectoryException.Reason.FORBIDDEN, refused.reason(), ip);
    assertThrows(
        DirectoryException.class,
        () -> bans.sessionStarted("p1", "peer", ip, 6346, false, 0, Instant.now()),
        ip);
  }

  @Test
  void aBanIsStoredInOneSpellingAndRefusesEveryOther() {
    BanList bans = new BanList(new Open(), store, Clock.systemUTC());
    assertEquals("2001:db8::1", bans.ban(null, "2001:DB8:0:0:0:0:0:1", "spam", "admin").ip());
    assertEquals("192.0.2.7", bans.ban(null, "::ffff:192.0.2.7", "spam", "admin").ip());
    assertEquals("2001:db8::1", store.all().get(1).ip(), "stored as the caller's address is");
    for (String ip : new String[] {"2001:db8::1", "2001:db8:0:0:0:0:0:1", "192.0.2.7"}) {
      refused(bans, ip);
    }
    bans.issue(
        "peer", "2001:db8::2", 6346, false, 0, null, Instant.now()); // a neighbour is not banned
    for (String odd : new String[] {"localhost", "10.0.0.0/8", "1.2.3.4:80"}) {
      assertThrows(IllegalArgumentException.class, () -> bans.ban(null, odd, "spam", "admin"), odd);
    }
  }

  @Test
  void bansStoredInAnotherSpellingHoldAfterARestart() {
    store.add(null, "0:0:0:0:0:0:0:1", "old row", "admin", Instant.now());
    store.add(null, "::FFFF:198.51.100.9", "old row", "admin", Instant.now());
    BanList bans = new BanList(new Open(), store, Clock.systemUTC());
    refused(bans, "::1");
    refused(bans, "198.51.100.9");
  }
}
