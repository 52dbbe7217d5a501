package dev.swarmdex.index.reputation;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.index.reputation.CorruptReports.Published;
import dev.swarmdex.protocol.LeafEvidence;
import dev.swarmdex.protocol.Receipt;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.TransferReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * What the peers named in a batch of evidence share and published, asked of the directory's catalog
 * or the peer's supernode before the batch takes its turn (asking may mean asking a supernode). A
 * "shares it" answer is trusted for {@link #SHARING_TRUSTED}, so a burst asks once.
 */
final class SharedContent {
  /** How long a peer found sharing a content is taken to share it still. */
  static final Duration SHARING_TRUSTED = Duration.ofMinutes(1);

  private static final int MAX_SHARING_SEEN = 100_000;

  /**
   * Evidence this recent about a peer that is offline is not judged but sent back to be handed in
   * again (503), so a directory's restart does not cost an uploader what it served just before.
   */
  static final Duration OFFLINE_GRACE = Duration.ofMinutes(10);

  private final Clock clock;
  private volatile BiPredicate<String, Sha256> sharing = (peerId, sha256) -> false;
  private volatile BiFunction<String, Sha256, Optional<Published>> published =
      (peerId, sha256) -> Optional.empty();
  private volatile Function<String, Optional<Instant>> sessionStart = peerId -> Optional.empty();
  // (peer, content) -> until when a "shares it" answer is trusted, so a burst asks once.
  private final Map<String, Long> sharingSeen = new ConcurrentHashMap<>();

  SharedContent(Clock clock) {
    this.clock = clock;
  }

  /** See {@link ReputationLedger#setSharing}. */
  void setSharing(
      BiPredicate<String, Sha256> sharing, Function<String, Optional<Instant>> sessionStart) {
    this.sharing = sharing;
    this.sessionStart = sessionStart;
  }

  /** See {@link ReputationLedger#setPublished}. */
  void setPublished(BiFunction<String, Sha256, Optional<Published>> published) {
    this.published = published;
  }

  /**
   * Which (peer, content) pairs the batch's receipts and reports name that the peer shares now;
   * asked before the batch takes its turn, since asking may mean asking a supernode.
   */
  Set<String> sharedIn(List<LeafEvidence> batch) {
    Set<String> asked = new LinkedHashSet<>();
    Map<String, Long> newest = new HashMap<>();
    for (LeafEvidence leaf : batch) {
      for (Receipt r : leaf.evidence().receipts()) {
        asked.add(pair(r.uploader(), r.sha256()));
        r.parts().forEach(p -> newest.merge(r.uploader(), p.issuedAt(), Math::max));
      }
      for (TransferReport r : leaf.evidence().reports()) {
        asked.add(pair(r.peer(), r.sha256()));
        newest.merge(r.peer(), clock.instant().getEpochSecond(), Math::max);
      }
    }
    long now = clock.millis();
    Set<String> shared = new HashSet<>();
    for (String key : asked) {
      Long until = sharingSeen.get(key);
      if (until != null && until > now) {
        shared.add(key);
        continue;
      }
      int cut = key.indexOf(' ');
      if (sharing.test(key.substring(0, cut), Sha256.of(key.substring(cut + 1)))) {
        shared.add(key);
        if (sharingSeen.size() >= MAX_SHARING_SEEN) {
          sharingSeen.clear(); // crude but bounded; the next batches ask again
        }
        sharingSeen.put(key, now + SHARING_TRUSTED.toMillis());
        continue;
      }
      String peerId = key.substring(0, cut);
      long stamped = newest.getOrDefault(peerId, 0L);
      if (stamped >= now / 1000 - OFFLINE_GRACE.toSeconds()) {
        // Offline just now, or back since the evidence was made (a directory restarted, a peer
        // between supernodes): nobody can say what it shares until it has published again, so
        // the call is taken later, not judged now.
        Optional<Instant> since = sessionStart.apply(peerId);
        if (since.isEmpty() || since.get().getEpochSecond() >= stamped) {
          throw new DirectoryException(
              Reason.BUSY,
              "peer "
                  + peerId
                  + (since.isEmpty() ? " is not online now" : " joined again since")
                  + ", so what it shares is not known yet: hand this evidence in again shortly");
        }
      }
    }
    return shared;
  }

  /**
   * What the accused peers of the batch's corrupt reports published for the content they are
   * accused over; asked before the batch takes its turn, since asking may mean asking a supernode.
   */
  Map<String, Published> publishedIn(List<LeafEvidence> batch) {
    Map<String, Published> found = new HashMap<>();
    for (LeafEvidence leaf : batch) {
      for (TransferReport r : leaf.evidence().reports()) {
        String key = pair(r.peer(), r.sha256());
        if (TransferReport.CORRUPT.equals(r.kind()) && !found.containsKey(key)) {
          found.put(key, published.apply(r.peer(), r.sha256()).orElse(null));
        }
      }
    }
    return found;
  }

  /** The key of a (peer, content) pair in {@link #sharedIn} and {@link #publishedIn}. */
  static String pair(String peerId, Sha256 sha256) {
    return peerId + " " + sha256.hex();
  }
}
