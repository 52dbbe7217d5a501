package dev.swarmdex.index.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminSessionsTest {
  final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  final AdminSessions sessions = new AdminSessions(clock);

  @Test
  void aSessionHasTwoIndependent256BitSecrets() {
    AdminSession one = sessions.open("admin");
    AdminSession two = sessions.open("admin");
    assertTrue(one.id().matches("[A-Za-z0-9_-]{43}"), one.id()); // 32 bytes, URL-safe Base64
    assertTrue(one.csrfToken().matches("[A-Za-z0-9_-]{43}"), one.csrfToken());
    assertNotEquals(one.id(), one.csrfToken());
    assertNotEquals(one.id(), two.id());
    assertEquals(Optional.of(one), sessions.find(one.id()));
    assertEquals("admin", sessions.find(two.id()).orElseThrow().admin());
    assertFalse(one.toString().contains(one.id()) || one.toString().contains(one.csrfToken()));
    assertEquals(Optional.empty(), sessions.find("no-such-id"));
    assertEquals(Optional.empty(), sessions.find(null));
  }

  @Test
  void anUnusedSessionEndsAfterThirtyMinutesAndUseKeepsItAlive() {
    AdminSession session = sessions.open("admin");
    clock.advance(Duration.ofMinutes(29));
    assertTrue(sessions.find(session.id()).isPresent());
    clock.advance(Duration.ofMinutes(29)); // 58 min after login, 29 after the last use
    assertTrue(sessions.find(session.id()).isPresent());
    clock.advance(Duration.ofMinutes(30));
    assertEquals(Optional.empty(), sessions.find(session.id()));
    clock.advance(Duration.ofMinutes(-30));
    assertEquals(Optional.empty(), sessions.find(session.id()), "an expired session is forgotten");
  }

  @Test
  void aBusySessionStillEndsTwelveHoursAfterLogin() {
    AdminSession session = sessions.open("admin");
    for (int i = 0; i < 12 * 3 - 1; i++) {
      clock.advance(Duration.ofMinutes(20));
      assertTrue(sessions.find(session.id()).isPresent(), "after " + (i + 1) * 20 + " min");
    }
    clock.advance(Duration.ofMinutes(20)); // exactly 12 h
    assertEquals(Optional.empty(), sessions.find(session.id()));
  }

  @Test
  void closeEndsASession() {
    AdminSession session = sessions.open("admin");
    sessions.close(session.id());
    assertEquals(Optional.empty(), sessions.find(session.id()));
    sessions.close(session.id()); // twice is harmless
  }

  @Test
  void theOldestSessionGivesWayWhenFull() {
    AdminSessions three = new AdminSessions(clock, Duration.ofMinutes(30), Duration.ofHours(12), 3);
    AdminSession first = three.open("a");
    AdminSession second = three.open("b");
    AdminSession third = three.open("c");
    AdminSession fourth = three.open("d");
    assertEquals(3, three.size());
    assertEquals(Optional.empty(), three.find(first.id()));
    assertTrue(three.find(second.id()).isPresent());
    assertTrue(three.find(third.id()).isPresent());
    assertTrue(three.find(fourth.id()).isPresent());
  }
}
