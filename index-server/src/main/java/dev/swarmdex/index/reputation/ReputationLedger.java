package dev.swarmdex.index.reputation;

import dev.swarmdex.engine.api.Reputation;
import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.index.reputation.CorruptReports.Published;
import dev.swarmdex.index.reputation.ReputationScore.Score;
import dev.swarmdex.index.reputation.ReputationScore.Settings;
import dev.swarmdex.index.reputation.ReputationStore.Tables;
import dev.swarmdex.index.store.PeerRecord;
import dev.swarmdex.index.store.PeerStore;
import dev.swarmdex.protocol.Evidence;
import dev.swarmdex.protocol.EvidenceResult;
import dev.swarmdex.protocol.ForwardedEvidence;
import dev.swarmdex.protocol.LeafEvidence;
import dev.swarmdex.protocol.PeerReputation;
import dev.swarmdex.protocol.ReputationReport;
import dev.swarmdex.protocol.Sha256;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index server's reputation ledger: it admits evidence ({@link TicketRules}, through a {@link
 * BatchIntake} per batch), stores it ({@link ReputationStore}), scores peers ({@link
 * ReputationScore}) and keeps their levels, uptime ({@link Sightings}) and history. Each batch of
 * evidence is checked, stored and scored in one transaction; batches are taken one at a time, so a
 * part cannot be counted twice by two racing batches.
 *
 * <pre>{@code
 * ReputationLedger ledger = ReputationLedger.open(store, peers, clock, settings, heartbeat);
 * EvidenceResult result = ledger.handIn(peerId, evidence);
 * int level = ledger.levelOf(peerId);
 * }</pre>
 */
public final class ReputationLedger implements Reputation {
  private static final Logger LOG = LoggerFactory.getLogger(ReputationLedger.class);

  private final AtomicLong recomputations = new AtomicLong();
  private final AtomicLong levelChanges = new AtomicLong();
  // Counts writes to levels (any cause); a search answer made from them is reused while it holds.
  private final AtomicLong levelWrites = new AtomicLong();
  private final ReputationStore store;
  private final PeerStore peers;
  private final Clock clock;
  private final Settings settings;
  private final Map<String, Integer> levels;
  private final Sightings sightings;
  private final Attachments attachments = new Attachments();
  private final SharedContent content;

  private ReputationLedger(
      ReputationStore store,
      PeerStore peers,
      Clock clock,
      Settings settings,
      Duration heartbeat,
      Map<String, Integer> levels) {
    this.store = store;
    this.peers = peers;
    this.clock = clock;
    this.settings = settings;
    this.sightings = new Sightings(heartbeat);
    this.content = new SharedContent(clock);
    this.levels = new ConcurrentHashMap<>(levels);
  }

  /**
   * The ledger over {@code store}, with the stored levels loaded; {@code heartbeat} is how often
   * peers beat (uptime between two sightings counts up to two of them).
   */
  public static ReputationLedger open(
      ReputationStore store, PeerStore peers, Clock clock, Settings settings, Duration heartbeat) {
    return new ReputationLedger(
        store, peers, clock, settings, heartbeat, store.read(Tables::levels));
  }

  /**
   * Where the ledger learns whether a peer shares a content now (the directory's catalog, or the
   * supernode the peer is attached to). Evidence about a peer counts only for content it shares:
   * without this, nobody shares anything and no receipt or report counts.
   */
  public void setSharing(
      BiPredicate<String, Sha256> sharing, Function<String, Optional<Instant>> sessionStart) {
    content.setSharing(sharing, sessionStart);
  }

  /**
   * Where the ledger learns what a peer published for a content (its size and hash tree root, from
   * the directory's catalog or the peer's supernode): a corrupt report counts only when it proves,
   * against that root, that the bytes the uploader signed for were not the published ones ({@link
   * CorruptReports}). Without this, no corrupt report counts.
   */
  public void setPublished(BiFunction<String, Sha256, Optional<Published>> published) {
    content.setPublished(published);
  }

  @Override
  public EvidenceResult handIn(String peerId, Evidence evidence) {
    List<LeafEvidence> batch = List.of(new LeafEvidence(peerId, evidence));
    return intake(null, batch, content.sharedIn(batch), content.publishedIn(batch));
  }

  @Override
  public EvidenceResult handInForwarded(String supernodeId, ForwardedEvidence batch) {
    LOG.debug("supernode {} forwarded evidence of {} leaves", supernodeId, batch.leaves().size());
    return intake(
        supernodeId,
        batch.leaves(),
        content.sharedIn(batch.leaves()),
        content.publishedIn(batch.leaves()));
  }

  @Override
  public void reportedLeaf(String supernodeId, String peerId) {
    if (attachments.holds(supernodeId, peerId, clock.millis())) {
      sighted(peerId);
    }
  }

  @Override
  public void tokenChecked(String supernodeId, String peerId) {
    attachments.checked(supernodeId, peerId, clock.millis());
  }

  @Override
  public PeerReputation publicLevel(String peerId) {
    PeerRecord peer = known(peerId);
    return new PeerReputation(peerId, levelOf(peerId), peer.lastIp());
  }

  @Override
  public ReputationReport ownReport(String peerId, String token) {
    return report(peerId);
  }

  /** Any peer's level, the factors that make it up now, and its history (newest first). */
  public ReputationReport report(String peerId) {
    known(peerId);
    Instant now = clock.instant();
    return store.read(
        t -> {
          Score score = ReputationScore.score(t.evidenceOf(peerId), now, settings);
          return new ReputationReport(
              peerId,
              t.standing(peerId).level(),
              score.factors(),
              t.history(peerId, ReputationStore.HISTORY_KEPT));
        });
  }

  @Override
  public int levelOf(String peerId) {
    return levels.getOrDefault(peerId, 0);
  }

  /** Reads these peers' levels again from the store (another index server on it changed them). */
  public void reload(Collection<String> peerIds) {
    levels.putAll(
        store.read(
            t -> {
              Map<String, Integer> read = new LinkedHashMap<>();
              peerIds.forEach(id -> read.put(id, t.standing(id).level()));
              return read;
            }));
    levelWrites.incrementAndGet();
  }

  @Override
  public void sighted(String peerId) {
    sightings.sighted(peerId, clock.millis());
  }

  /**
   * The periodic step: stores the uptime seen since the last one, recomputes the levels of the
   * peers seen, and deletes evidence older than four half-lives. Returns the peers whose level
   * changed.
   */
  public synchronized List<String> recompute() {
    Instant now = clock.instant();
    long nowMillis = now.toEpochMilli();
    Map<String, Long> seconds = sightings.drain(nowMillis);
    seconds.keySet().removeIf(id -> !isKnown(id));
    Map<String, Integer> changed =
        store.inTransaction(
            t -> {
              Map<String, Integer> result = new LinkedHashMap<>();
              seconds.forEach((id, s) -> t.addUptime(id, now, s));
              for (String id : seconds.keySet()) {
                rescore(t, id, now, "uptime").ifPresent(level -> result.put(id, level));
              }
              int deleted = t.deleteBefore(now.minus(settings.halfLife().multipliedBy(4)));
              if (deleted > 0) {
                LOG.info(
                    "deleted {} pieces of reputation evidence older than 4 half-lives", deleted);
              }
              return result;
            });
    levels.putAll(changed);
    if (!changed.isEmpty()) {
      levelWrites.incrementAndGet();
    }
    recomputations.incrementAndGet();
    levelChanges.addAndGet(changed.size());
    return List.copyOf(changed.keySet());
  }

  /** Recomputations done since start ({@link #recompute}), for metrics. */
  public long recomputations() {
    return recomputations.get();
  }

  /** Writes to the levels {@link #levelOf} reads, so far: equal while no level changed. */
  public long levelWrites() {
    return levelWrites.get();
  }

  /** Levels those recomputations changed, for metrics. */
  public long levelChanges() {
    return levelChanges.get();
  }

  /**
   * Checks, stores and scores a batch in one transaction; {@code supernodeId} is the supernode that
   * forwarded it (null for a peer's own), which may speak only for peers attached to it.
   */
  private synchronized EvidenceResult intake(
      String supernodeId,
      List<LeafEvidence> batch,
      Set<String> shared,
      Map<String, Published> published) {
    Instant now = clock.instant();
    BatchIntake intake = new BatchIntake(peers, settings, attachments, shared, published, now);
    Map<String, Integer> changed =
        store.inTransaction(
            t -> {
              Map<String, Integer> result = new LinkedHashMap<>();
              intake
                  .takeAll(t, supernodeId, batch)
                  .forEach(
                      (subject, why) ->
                          rescore(t, subject, now, String.join("; ", why))
                              .ifPresent(level -> result.put(subject, level)));
              return result;
            });
    levels.putAll(changed);
    if (!changed.isEmpty()) {
      levelWrites.incrementAndGet();
    }
    return intake.result();
  }

  /** Scores the peer and, when its level changed, stores it with a history row. */
  private Optional<Integer> rescore(Tables t, String peerId, Instant now, String reason) {
    int before = t.standing(peerId).level();
    int after = ReputationScore.score(t.evidenceOf(peerId), now, settings).level();
    if (after == before) {
      return Optional.empty();
    }
    t.setLevel(peerId, after, now);
    t.addHistory(peerId, now, after, reason);
    return Optional.of(after);
  }

  private boolean isKnown(String peerId) {
    return peers.byId(peerId).isPresent();
  }

  private PeerRecord known(String peerId) {
    return peers
        .byId(peerId)
        .orElseThrow(() -> new DirectoryException(Reason.NOT_FOUND, "no peer " + peerId));
  }
}
