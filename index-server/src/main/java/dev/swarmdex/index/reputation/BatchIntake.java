package dev.swarmdex.index.reputation;

import dev.swarmdex.index.reputation.CorruptReports.Published;
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
import dev.swarmdex.protocol.LeafEvidence;
import dev.swarmdex.protocol.Receipt;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.TransferReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One batch of evidence taken in: each receipt part and report checked ({@link TicketRules}, {@link
 * CorruptReports}, the pair cap, duplicates) and, when it passes, stored in the ledger's
 * transaction. Collects the counts and first problems for the answer, and per peer the reasons its
 * level is to be scored again. Used once, by one intake.
 */
final class BatchIntake {
  /**
   * Most receipt parts one downloader may hand in for one uploader in {@link #PAIR_PARTS_WINDOW}: 2
   * GiB in 1 MiB chunks, far past what the pair cap lets count.
   */
  static final int MAX_PAIR_PARTS_PER_DAY = 2048;

  static final Duration PAIR_PARTS_WINDOW = Duration.ofDays(1);

  private static final double MIB = 1024.0 * 1024.0;

  private final PeerStore peers;
  private final Settings settings;
  private final Attachments attachments;
  private final Set<String> shared;
  private final Map<String, Published> published;
  private final Instant now;
  private final Map<String, Optional<PeerRecord>> known = new HashMap<>();
  private final Outcome outcome = new Outcome();

  /**
   * An intake at {@code now}, given which (peer, content) pairs are {@code shared} and what was
   * {@code published} ({@link SharedContent}), and which supernodes hold which peers.
   */
  BatchIntake(
      PeerStore peers,
      Settings settings,
      Attachments attachments,
      Set<String> shared,
      Map<String, Published> published,
      Instant now) {
    this.peers = peers;
    this.settings = settings;
    this.attachments = attachments;
    this.shared = shared;
    this.published = published;
    this.now = now;
  }

  /**
   * Checks and stores the batch in {@code t}; {@code supernodeId} is the supernode that forwarded
   * it (null for a peer's own), which may speak only for peers attached to it. Returns, per peer
   * whose evidence counted, why it is to be scored again.
   */
  Map<String, List<String>> takeAll(Tables t, String supernodeId, List<LeafEvidence> batch) {
    Map<String, List<String>> reasons = new LinkedHashMap<>();
    for (LeafEvidence leaf : batch) {
      Optional<PeerRecord> signer = lookUp(leaf.peerId());
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
      take(t, signer.get(), leaf.evidence(), reasons);
    }
    return reasons;
  }

  /** What the intake accepted and rejected. */
  EvidenceResult result() {
    return outcome.result();
  }

  private void take(
      Tables t, PeerRecord signer, Evidence evidence, Map<String, List<String>> reasons) {
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
      Optional<PeerRecord> uploader = lookUp(receipt.uploader());
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
      if (!shared.contains(SharedContent.pair(receipt.uploader(), receipt.sha256()))) {
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
      Optional<PeerRecord> subject = lookUp(report.peer());
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
      } else if (!shared.contains(SharedContent.pair(report.peer(), report.sha256()))) {
        problem = Optional.of("the reported peer does not share this content");
      } else if (report.proof() != null) {
        problem =
            TicketRules.problem(
                party(subject.get()), downloader, report.sha256(), report.proof(), now);
        if (problem.isEmpty() && TransferReport.CORRUPT.equals(report.kind())) {
          problem =
              CorruptReports.problem(
                  report, published.get(SharedContent.pair(report.peer(), report.sha256())));
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

  private Optional<PeerRecord> lookUp(String peerId) {
    return known.computeIfAbsent(peerId, peers::byId);
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
