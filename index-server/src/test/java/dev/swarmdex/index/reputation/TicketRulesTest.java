package dev.swarmdex.index.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.reputation.TicketRules.Party;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.ServedTicket;
import dev.swarmdex.protocol.Sha256;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TicketRulesTest {
  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  private static final Sha256 FILE = Sha256.of("b".repeat(64));
  private static final PeerKey UPLOADER_KEY = PeerKey.generate();
  private static final Party UPLOADER =
      new Party("pUploader", UPLOADER_KEY.publicKey(), "127.0.0.2");
  private static final Party DOWNLOADER =
      new Party("pDownloader", PeerKey.generate().publicKey(), "127.0.0.3");

  @Test
  void aGenuineTicketCounts() {
    ServedPart part = ticket(UPLOADER_KEY, "127.0.0.3", 0, 1_048_575, NOW.minusSeconds(60));
    assertEquals(Optional.empty(), TicketRules.problem(UPLOADER, DOWNLOADER, FILE, part, NOW));
  }

  @Test
  void receiptsForOneselfCountForNothing() {
    Party self = new Party("pUploader", UPLOADER_KEY.publicKey(), "127.0.0.3");
    ServedPart part = ticket(UPLOADER_KEY, "127.0.0.3", 0, 99, NOW);
    assertEquals(
        "own upload: receipts for oneself count for nothing",
        TicketRules.problem(UPLOADER, self, FILE, part, NOW).orElseThrow());
    Party sameAddress = new Party("pOther", "k", "127.0.0.2");
    assertEquals(
        "uploader and downloader share an address",
        TicketRules.problem(
                UPLOADER, sameAddress, FILE, ticket(UPLOADER_KEY, "127.0.0.2", 0, 99, NOW), NOW)
            .orElseThrow());
  }

  @Test
  void bytesNeverServedAreRejected() {
    String reason = "ticket does not verify for this peer's address";
    // Made with a key that is not the uploader's registered one (as one made from its token is).
    ServedPart forged = ticket(PeerKey.generate(), "127.0.0.3", 0, 99, NOW);
    assertEquals(
        reason, TicketRules.problem(UPLOADER, DOWNLOADER, FILE, forged, NOW).orElseThrow());
    // Served to another address: a ticket bought from its real recipient is worthless here.
    ServedPart elsewhere = ticket(UPLOADER_KEY, "127.0.0.9", 0, 99, NOW);
    assertEquals(
        reason, TicketRules.problem(UPLOADER, DOWNLOADER, FILE, elsewhere, NOW).orElseThrow());
    // The range altered after the fact.
    ServedPart real = ticket(UPLOADER_KEY, "127.0.0.3", 0, 99, NOW);
    ServedPart widened = new ServedPart(0, 999_999, real.issuedAt(), real.signature());
    assertEquals(
        reason, TicketRules.problem(UPLOADER, DOWNLOADER, FILE, widened, NOW).orElseThrow());
    // Another file.
    assertEquals(
        reason,
        TicketRules.problem(UPLOADER, DOWNLOADER, Sha256.of("c".repeat(64)), real, NOW)
            .orElseThrow());
    // An uploader with no registered key signs nothing that counts.
    assertEquals(
        reason,
        TicketRules.problem(new Party("pUploader", null, "127.0.0.2"), DOWNLOADER, FILE, real, NOW)
            .orElseThrow());
  }

  @Test
  void ticketsMustBeRecent() {
    ServedPart old = ticket(UPLOADER_KEY, "127.0.0.3", 0, 99, NOW.minus(Duration.ofHours(25)));
    assertEquals(
        "ticket older than 24 h",
        TicketRules.problem(UPLOADER, DOWNLOADER, FILE, old, NOW).orElseThrow());
    ServedPart ahead = ticket(UPLOADER_KEY, "127.0.0.3", 0, 99, NOW.plus(Duration.ofMinutes(6)));
    assertEquals(
        "ticket issued in the future",
        TicketRules.problem(UPLOADER, DOWNLOADER, FILE, ahead, NOW).orElseThrow());
    ServedPart skewed = ticket(UPLOADER_KEY, "127.0.0.3", 0, 99, NOW.plus(Duration.ofMinutes(4)));
    assertTrue(TicketRules.problem(UPLOADER, DOWNLOADER, FILE, skewed, NOW).isEmpty());
  }

  @Test
  void aReporterHasAnHourlyAllowance() {
    assertTrue(TicketRules.allowsReport(0));
    assertTrue(TicketRules.allowsReport(TicketRules.REPORTS_PER_HOUR - 1));
    assertFalse(TicketRules.allowsReport(TicketRules.REPORTS_PER_HOUR));
  }

  private static ServedPart ticket(
      PeerKey key, String requesterIp, long first, long last, Instant at) {
    long issued = at.getEpochSecond();
    return new ServedPart(
        first,
        last,
        issued,
        ServedTicket.sign(key, "pUploader", requesterIp, FILE, first, last, issued));
  }
}
