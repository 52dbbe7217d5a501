package dev.swarmdex.index.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.swarmdex.index.store.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditLogTest {
  final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T10:00:00Z"));
  Database db;
  AuditLog audit;

  @BeforeEach
  void open() {
    db = Database.open("jdbc:h2:mem:audit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    audit = AuditLog.using(db.jdbi(), clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void entriesComeBackNewestFirstWithWhoWhatAndWhen() {
    audit.record("admin", "login", "admin", "from 127.0.0.1");
    clock.advance(Duration.ofMinutes(1));
    audit.record("admin", "promote", "p42", "{\"reason\":\"fast\"}");
    clock.advance(Duration.ofMinutes(1));
    audit.record("admin", "logout", null, null);

    List<AuditEntry> entries = audit.recent(10, 0);
    assertEquals(3, entries.size());
    AuditEntry newest = entries.get(0);
    assertEquals("logout", newest.action());
    assertEquals("", newest.target());
    assertEquals("", newest.detail());
    assertEquals(Instant.parse("2025-01-01T10:02:00Z"), newest.at());
    AuditEntry promote = entries.get(1);
    assertEquals("admin", promote.admin());
    assertEquals("p42", promote.target());
    assertEquals("{\"reason\":\"fast\"}", promote.detail());
    assertEquals("login", entries.get(2).action());

    assertEquals(List.of(entries.get(1)), audit.recent(1, 1));
    assertEquals(List.of(), audit.recent(10, 3));
  }

  @Test
  void longValuesAreCutToTheirColumns() {
    audit.record("a".repeat(100), "b".repeat(100), "c".repeat(300), "d".repeat(5000));
    AuditEntry entry = audit.recent(1, 0).get(0);
    assertEquals(64, entry.admin().length());
    assertEquals(64, entry.action().length());
    assertEquals(255, entry.target().length());
    assertEquals(1000, entry.detail().length());
    // Never half a character: an emoji straddling the limit is dropped whole.
    assertEquals("x".repeat(254), AuditLog.fit("x".repeat(254) + "\uD83D\uDE00", 255));
  }

  @Test
  void pageBoundsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> audit.recent(0, 0));
    assertThrows(IllegalArgumentException.class, () -> audit.recent(201, 0));
    assertThrows(IllegalArgumentException.class, () -> audit.recent(10, -1));
  }
}
