package dev.swarmdex.index.reputation;

import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.ServedTicket;
import dev.swarmdex.protocol.Sha256;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which evidence is admitted at all (pure). A receipt part, or the proof of a corrupt report,
 * counts only when the uploader's {@link ServedTicket} verifies with the uploader's registered key
 * for the address the index server knows for the peer handing it in, between two different peers at
 * two different addresses, stamped within the last day. Reports are limited per reporter and hour.
 */
public final class TicketRules {
  /** How old a ticket may be when it is handed in. */
  public static final Duration MAX_AGE = Duration.ofHours(24);

  /** How far ahead of the server's clock a ticket may be stamped (clock skew). */
  public static final Duration MAX_AHEAD = Duration.ofMinutes(5);

  /** Reports one reporter may have accepted in any hour. */
  public static final int REPORTS_PER_HOUR = 20;

  private TicketRules() {}

  /**
   * A peer as the index server knows it: id, registered identity key (null when it has none: then
   * nothing it signed verifies) and address.
   */
  public record Party(String peerId, String key, String ip) {}

  /**
   * Why {@code part} of {@code sha256}, said to be served by {@code uploader} to {@code
   * downloader}, does not count; empty when it does (apart from having been counted before, which
   * the store knows).
   */
  public static Optional<String> problem(
      Party uploader, Party downloader, Sha256 sha256, ServedPart part, Instant now) {
    Optional<String> cheap = precheck(uploader, downloader, part, now);
    if (cheap.isPresent()) {
      return cheap;
    }
    return verifies(uploader, downloader, sha256, part)
        ? Optional.empty()
        : Optional.of(NOT_VERIFIED);
  }

  /** Why a ticket does not verify. */
  public static final String NOT_VERIFIED = "ticket does not verify for this peer's address";

  /**
   * {@link #problem} without the signature check: the checks that cost nothing, made first so that
   * a part refused anyway costs no signature check.
   */
  static Optional<String> precheck(Party uploader, Party downloader, ServedPart part, Instant now) {
    if (uploader.peerId().equals(downloader.peerId())) {
      return Optional.of("own upload: receipts for oneself count for nothing");
    }
    if (uploader.ip().equals(downloader.ip())) {
      return Optional.of("uploader and downloader share an address");
    }
    Instant issued = Instant.ofEpochSecond(part.issuedAt());
    if (issued.isBefore(now.minus(MAX_AGE))) {
      return Optional.of("ticket older than 24 h");
    }
    if (issued.isAfter(now.plus(MAX_AHEAD))) {
      return Optional.of("ticket issued in the future");
    }
    return Optional.empty();
  }

  /**
   * Whether the ticket is the uploader's signature for bytes served to the downloader's address.
   */
  static boolean verifies(Party uploader, Party downloader, Sha256 sha256, ServedPart part) {
    return uploader.key() != null
        && ServedTicket.verify(uploader.key(), uploader.peerId(), downloader.ip(), sha256, part);
  }

  /** Whether a reporter with {@code acceptedInLastHour} reports accepted may file another. */
  public static boolean allowsReport(int acceptedInLastHour) {
    return acceptedInLastHour < REPORTS_PER_HOUR;
  }
}
