package dev.swarmdex.index.reputation;

import dev.swarmdex.engine.api.Reputation;
import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.index.reputation.CorruptReports.Published;
import dev.swarmdex.index.reputation.ReputationScore.Score;
import dev.swarmdex.index.reputation.ReputationScore.Settings;
import dev.swarmdex.index.reputation.ReputationStore.CreditRow;
import dev.swarmdex.index.reputation.ReputationStore.ReportRow;
import dev.swarmdex.index.reputation.ReputationStore.Standing;
import dev.swarmdex.index.reputation.ReputationStore.Tables;
import dev.swarmdex.index.reputation.TicketRules.Party;
import dev.swarmdex.index.store.PeerRecord;
import dev.swarmdex.index.store.PeerStore;
import dev.swarmdex.protocol.Evidence;
import dev.swarmdex.protocol.EvidenceResult;
import dev.swarmdex.protocol.ForwardedEvidence;
import dev.swarmdex.protocol.LeafEvidence;
import dev.swarmdex.protocol.PeerReputation;
import dev.swarmdex.protocol.Receipt;
import dev.swarmdex.protocol.ReputationReport;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.TransferReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index server's reputation ledger: it admits evidence ({@link TicketRules}), stores it ({@link
 * ReputationStore}), scores peers ({@link ReputationScore}) and keeps their levels and history.
 * Each batch of evidence is checked, stored and scored in one transaction; batches are taken one at
 * a time, so a part cannot be counted twice by two racing batches.
 *
 * <pre>{@code
 * ReputationLedger ledger = ReputationLedger.open(store, peers, clock, settings, heartbeat);
 * EvidenceResult result = ledger.handIn(peerId, evidence);
 * int level = ledger.levelOf(peerId);
 * }</pre>
 */
public final class ReputationLedger implements Reputation {
  /**
   * Most receipt parts one downloader may hand in for one uploader in {@link #PAIR_PARTS_WINDOW}: 2
   * GiB in 1 MiB chunks, far past what the pair cap lets count.
   */
  static final int MAX_PAIR_PARTS_PER_DAY = 2048;

  static final Duration PAIR_PARTS_WINDOW = Duration.ofDays(1);

  /** How long a peer found sharing a content is taken to share it still. */
  static final Duration SHARING_TRUSTED = Duration.ofMinutes(1);

  private static final int MAX_SHARING_SEEN = 100_000;

  /**
   * Evidence this recent about a peer that is offline is not judged but sent back to be handed in
   * again (503), so a directory's restart does not cost an uploader what it served just before.
   */
  static final Duration OFFLINE_GRACE = Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(ReputationLedger.class);
  private static final double MIB = 1024.0 * 1024.0;

  private final ReputationStore store;
  private final PeerStore peers;
  private final Clock clock;
  private final Settings settings;
  private final long sightingCapMillis;
  private final Map<String, Integer> levels;
  private final Map<String, Sighting> sightings = new ConcurrentHashMap<>();
  private final Attachments attachments = new Attachments();
  private volatile BiPredicate<String, Sha256> sharing = (peerId, sha256) -> false;
  private volatile BiFunction<String, Sha256, Optional<Published>> published =
      (peerId, sha256) -> Optional.empty();
  private volatile java.util.function.Function<String, Optional<Instant>> sessionStart =
      peerId -> Optional.empty();
  // (peer, content) -> until when a "shares it" answer is trusted, so a burst asks once.
  private final Map<String, Long> sharingSeen = new ConcurrentHashMap<>();

  /** When a peer was last seen and how much uptime since then is not stored yet. */
  private static final class Sighting {
    long lastMillis;
    long pendingMillis;

    Sighting(long lastMillis) {
      this.lastMillis = lastMillis;
    }
  }

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
    this.sightingCapMillis = heartbeat.toMillis() * 2;
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
      BiPredicate<String, Sha256> sharing,
      java.util.function.Function<String, Optional<Instant>> sessionStart) {
    this.sharing = sharing;
    this.sessionStart = sessionStart;
  }

  /**
   * Where the ledger learns what a peer published for a content (its size and hash tree root, from
   * the directory's catalog or the peer's supernode): a corrupt report counts only when it proves,
   * against that root, that the bytes the uploader signed for were not the published ones ({@link
   * CorruptReports}). Without this, no corrupt report counts.
   */
  public void setPublished(BiFunction<String, Sha256, Optional<Published>> published) {
    this.published = published;
  }

  @Override
  public EvidenceResult handIn(String peerId, Evidence evidence) {
    List<LeafEvidence> batch = List.of(new LeafEvidence(peerId, evidence));
    return intake(null, batch, sharedIn(batch), publishedIn(batch));
  }

  @Override
  public EvidenceResult handInForwarded(String supernodeId, ForwardedEvidence batch) {
    LOG.debug("supernode {} forwarded evidence of {} leaves", supernodeId, batch.leaves().size());
    return intake(
        supernodeId, batch.leaves(), sharedIn(batch.leaves()), publishedIn(batch.leaves()));
  }

  /**
   * Which (peer, content) pairs the batch's receipts and reports name that the peer shares now;
   * asked before the batch takes its turn, since asking may mean asking a supernode.
   */
  private Set<String> sharedIn(List<LeafEvidence> batch) {
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
  private Map<String, Published> publishedIn(List<LeafEvidence> batch) {
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

  private static String pair(String peerId, Sha256 sha256) {
    return peerId + " " + sha256.hex();
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

  @Override
  public void sighted(String peerId) {
    long now = clock.millis();
    sightings.compute(
        peerId,
        (id, seen) -> {
          if (seen == null) {
            return new Sighting(now);
          }
          long elapsed = now - seen.lastMillis;
          if (elapsed > 0) {
            seen.pendingMillis += Math.min(elapsed, sightingCapMillis);
            seen.lastMillis = now;
          }
          return seen;
        });
  }

  /**
   * The periodic step: stores the uptime seen since the last one, recomputes the levels of the
   * peers seen, and deletes evidence older than four half-lives. Returns the peers whose level
   * changed.
   */
  public synchronized List<String> recompute() {
    Instant now = clock.instant();
    long nowMillis = now.toEpochMilli();
    Map<String, Long> seconds = new LinkedHashMap<>();
    for (String id : List.copyOf(sightings.keySet())) {
      sightings.computeIfPresent(
          id,
          (key, seen) -> {
            long whole = seen.pendingMillis / 1000;
            if (whole > 0) {
              seconds.put(key, whole);
              seen.pendingMillis -= whole * 1000;
            }
            // Gone quiet: a later sighting starts afresh rather than crediting the gap.
            return nowMillis - seen.lastMillis > sightingCapMillis ? null : seen;
          });
    }
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
    return List.copyOf(changed.keySet());
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
    Map<String, Optional<PeerRecord>> known = new HashMap<>();
    Outcome outcome = new Outcome();
    Map<String, Integer> changed =
        store.inTransaction(
            t -> {
              Map<String, List<String>> reasons = new LinkedHashMap<>();
              for (LeafEvidence leaf : batch) {
                Optional<PeerRecord> signer = lookUp(known, leaf.peerId());
                if (signer.isEmpty()) {
                  outcome.reject(
                      parts(leaf.evidence()),
                      "peer " + leaf.peerId() + ": unknown peer, its evidence is not counted");
                  continue;
                }
                if (supernodeId != null
                    && !attachments.holds(supernodeId, leaf.peerId(), now.toEpochMilli())) {
                  outcome.reject(
                      parts(leaf.evidence()),
                      "peer "
                          + leaf.peerId()
                          + ": not attached to this supernode (it has not checked the peer's token"
                          + " lately), its evidence is not counted");
                  continue;
                }
                take(
                    t,
                    signer.get(),
                    leaf.evidence(),
                    known,
                    shared,
                    published,
                    now,
                    outcome,
                    reasons);
              }
              Map<String, Integer> result = new LinkedHashMap<>();
              reasons.forEach(
                  (subject, why) ->
                      rescore(t, subject, now, String.join("; ", why))
                          .ifPresent(level -> result.put(subject, level)));
              return result;
            });
    levels.putAll(changed);
    return outcome.result();
  }

  private void take(
      Tables t,
      PeerRecord signer,
      Evidence evidence,
      Map<String, Optional<PeerRecord>> known,
      Set<String> shared,
      Map<String, Published> published,
      Instant now,
      Outcome outcome,
      Map<String, List<String>> reasons) {
    Standing standing = t.standing(signer.id());
    String signerKey = keyOf(signer.id());
    double trust =
        ReputationScore.trust(
            Duration.ofSeconds(standing.uptimeSeenSeconds()),
            standing.level(),
            settings.maturity());
    Party downloader = party(signer);
    for (int r = 0; r < evidence.receipts().size(); r++) {
      Receipt receipt = evidence.receipts().get(r);
      String where = "receipts[" + r + "]";
      Optional<PeerRecord> uploader = lookUp(known, receipt.uploader());
      if (uploader.isEmpty()) {
        outcome.reject(receipt.parts().size(), where + ": unknown uploader " + receipt.uploader());
        continue;
      }
      if (signerKey == null || !receipt.verifies(signer.id(), signerKey)) {
        // A supernode, or a holder of the downloader's token, cannot make a receipt up.
        outcome.reject(
            receipt.parts().size(), where + ": not signed by the downloader's registered key");
        continue;
      }
      if (!shared.contains(pair(receipt.uploader(), receipt.sha256()))) {
        outcome.reject(
            receipt.parts().size(),
            where + ": the uploader does not share " + receipt.sha256().hex().substring(0, 8));
        continue;
      }
      long bytes = 0;
      int pairParts =
          t.pairPartsSince(receipt.uploader(), signer.id(), now.minus(PAIR_PARTS_WINDOW));
      Party up = party(uploader.get());
      // The checks that cost nothing come first; only the parts that pass them have their
      // signatures checked (about a millisecond each), in parallel.
      List<Integer> candidates = new ArrayList<>();
      List<CreditRow> rows = new ArrayList<>();
      for (int p = 0; p < receipt.parts().size(); p++) {
        ServedPart part = receipt.parts().get(p);
        Optional<String> problem = TicketRules.precheck(up, downloader, part, now);
        CreditRow row =
            new CreditRow(
                receipt.uploader(),
                signer.id(),
                receipt.sha256(),
                part.first(),
                part.last(),
                part.issuedAt(),
                trust,
                now);
        if (problem.isEmpty() && pairParts + candidates.size() >= MAX_PAIR_PARTS_PER_DAY) {
          // Past the pair cap more parts add nothing; storing them would only let a colluding
          // pair grow the table and every rescore of the uploader without bound.
          problem =
              Optional.of(
                  "this pair's allowance of " + MAX_PAIR_PARTS_PER_DAY + " parts a day is used up");
        }
        if (problem.isEmpty() && (t.hasCredit(row) || rows.contains(row))) {
          problem = Optional.of("part already counted");
        }
        if (problem.isPresent()) {
          outcome.reject(1, where + ".parts[" + p + "]: " + problem.get());
          continue;
        }
        candidates.add(p);
        rows.add(row);
      }
      boolean[] verified = new boolean[candidates.size()];
      java.util.stream.IntStream.range(0, candidates.size())
          .parallel()
          .forEach(
              i ->
                  verified[i] =
                      TicketRules.verifies(
                          up,
                          downloader,
                          receipt.sha256(),
                          receipt.parts().get(candidates.get(i))));
      for (int i = 0; i < candidates.size(); i++) {
        if (!verified[i]) {
          outcome.reject(
              1, where + ".parts[" + candidates.get(i) + "]: " + TicketRules.NOT_VERIFIED);
          continue;
        }
        t.addCredit(rows.get(i));
        pairParts++;
        outcome.accepted++;
        bytes += receipt.parts().get(candidates.get(i)).bytes();
      }
      if (bytes > 0) {
        reasons
            .computeIfAbsent(receipt.uploader(), k -> new ArrayList<>())
            .add(
                String.format(
                    Locale.ROOT,
                    "receipt from %s for %s MiB of %s",
                    shortId(signer.id()),
                    mib(bytes),
                    receipt.sha256().hex().substring(0, 8)));
      }
    }
    Instant hourAgo = now.minus(Duration.ofHours(1));
    for (int r = 0; r < evidence.reports().size(); r++) {
      TransferReport report = evidence.reports().get(r);
      String where = "reports[" + r + "]: ";
      Optional<PeerRecord> subject = lookUp(known, report.peer());
      if (subject.isEmpty()) {
        outcome.reject(1, where + "unknown peer " + report.peer());
        continue;
      }
      if (!TicketRules.allowsReport(t.reportsSince(signer.id(), hourAgo))) {
        outcome.reject(1, where + "report allowance used up");
        continue;
      }
      Optional<String> problem = Optional.empty();
      if (report.peer().equals(signer.id())) {
        problem = Optional.of("a peer cannot report itself");
      } else if (signerKey == null || !report.verifies(signer.id(), signerKey)) {
        problem = Optional.of("not signed by the reporter's registered key");
      } else if (!shared.contains(pair(report.peer(), report.sha256()))) {
        problem = Optional.of("the reported peer does not share this content");
      } else if (report.proof() != null) {
        problem =
            TicketRules.problem(
                party(subject.get()), downloader, report.sha256(), report.proof(), now);
        if (problem.isEmpty() && TransferReport.CORRUPT.equals(report.kind())) {
          problem =
              CorruptReports.problem(report, published.get(pair(report.peer(), report.sha256())));
        }
      }
      ReportRow row =
          new ReportRow(signer.id(), report.peer(), report.sha256(), report.kind(), trust, now);
      if (problem.isEmpty() && t.hasReport(row)) {
        problem = Optional.of("already reported today");
      }
      if (problem.isPresent()) {
        outcome.reject(1, where + problem.get());
        continue;
      }
      t.addReport(row);
      outcome.accepted++;
      reasons
          .computeIfAbsent(report.peer(), k -> new ArrayList<>())
          .add(report.kind() + " report from " + shortId(signer.id()));
    }
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

  private Optional<PeerRecord> lookUp(Map<String, Optional<PeerRecord>> known, String peerId) {
    return known.computeIfAbsent(peerId, peers::byId);
  }

  private boolean isKnown(String peerId) {
    return peers.byId(peerId).isPresent();
  }

  private PeerRecord known(String peerId) {
    return peers
        .byId(peerId)
        .orElseThrow(() -> new DirectoryException(Reason.NOT_FOUND, "no peer " + peerId));
  }

  private Party party(PeerRecord peer) {
    return new Party(peer.id(), keyOf(peer.id()), peer.lastIp());
  }

  /** The peer's registered identity key, or null when it has none. */
  private String keyOf(String peerId) {
    return peers.publicKey(peerId).orElse(null);
  }

  private static int parts(Evidence evidence) {
    int parts = evidence.reports().size();
    for (Receipt receipt : evidence.receipts()) {
      parts += receipt.parts().size();
    }
    return parts;
  }

  private static String shortId(String peerId) {
    return peerId.length() <= 9 ? peerId : peerId.substring(0, 9) + "…";
  }

  private static String mib(long bytes) {
    double mib = bytes / MIB;
    return mib >= 10 ? Long.toString(Math.round(mib)) : String.format(Locale.ROOT, "%.1f", mib);
  }

  /** Counts and the first problems of one intake. */
  private static final class Outcome {
    int accepted;
    int rejected;
    final List<String> problems = new ArrayList<>();

    void reject(int count, String problem) {
      rejected += count;
      if (problems.size() < EvidenceResult.MAX_PROBLEMS) {
        problems.add(problem);
      }
    }

    EvidenceResult result() {
      return new EvidenceResult(accepted, rejected, 0, problems);
    }
  }
}
