package dev.swarmdex.index.reputation;

import dev.swarmdex.engine.directory.StoreException;
import dev.swarmdex.index.reputation.ReputationScore.Credit;
import dev.swarmdex.index.reputation.ReputationScore.PeerEvidence;
import dev.swarmdex.index.reputation.ReputationScore.Penalty;
import dev.swarmdex.index.reputation.ReputationScore.UptimeDay;
import dev.swarmdex.index.store.ChangeLog;
import dev.swarmdex.protocol.ReputationChange;
import dev.swarmdex.protocol.Sha256;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The reputation tables (V5__reputation.sql): accepted evidence, uptime per day, levels and their
 * history. Work that must not be half-applied runs in {@link #inTransaction}; every failure is a
 * {@link StoreException}.
 *
 * <pre>{@code
 * int level = store.inTransaction(tables -> {
 *   tables.addCredit(credit);
 *   return tables.standing(peerId).level();
 * });
 * }</pre>
 */
public final class ReputationStore {
  /** History rows kept per peer. */
  public static final int HISTORY_KEPT = 200;

  private final Jdbi jdbi;

  private ReputationStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The reputation tables of the database behind {@code jdbi}. */
  public static ReputationStore using(Jdbi jdbi) {
    return new ReputationStore(jdbi);
  }

  /** Runs {@code work} in one transaction: all of it is stored, or (on any failure) none. */
  public <T> T inTransaction(Function<Tables, T> work) {
    try {
      return jdbi.inTransaction(handle -> work.apply(new Tables(handle)));
    } catch (JdbiException e) {
      throw new StoreException("reputation update failed: " + e.getMessage(), e);
    }
  }

  /** Runs {@code work} on one connection, for reads. */
  public <T> T read(Function<Tables, T> work) {
    try {
      return jdbi.withHandle(handle -> work.apply(new Tables(handle)));
    } catch (JdbiException e) {
      throw new StoreException("reputation read failed: " + e.getMessage(), e);
    }
  }

  /** A peer's level now and the uptime seen in all (0 and 0 for a peer never scored). */
  public record Standing(int level, long uptimeSeenSeconds) {}

  /** One accepted receipt part. */
  public record CreditRow(
      String uploader,
      String downloader,
      Sha256 sha256,
      long first,
      long last,
      long issuedAt,
      double trust,
      Instant at) {}

  /** One accepted report. */
  public record ReportRow(
      String reporter, String subject, Sha256 sha256, String kind, double trust, Instant at) {}

  /** The tables, over one connection (and, in {@link #inTransaction}, one transaction). */
  public static final class Tables {
    private final Handle h;

    private Tables(Handle handle) {
      this.h = handle;
    }

    /** Whether this very part was counted before. */
    public boolean hasCredit(CreditRow part) {
      return h.createQuery(
                  "SELECT COUNT(*) FROM reputation_credits WHERE uploader = :u AND downloader = :d"
                      + " AND sha256 = :s AND first_byte = :f AND last_byte = :l AND issued_at = :i")
              .bind("u", part.uploader())
              .bind("d", part.downloader())
              .bind("s", part.sha256().hex())
              .bind("f", part.first())
              .bind("l", part.last())
              .bind("i", part.issuedAt())
              .mapTo(Long.class)
              .one()
          > 0;
    }

    /** Parts accepted for the pair {@code uploader} to {@code downloader} since {@code since}. */
    public int pairPartsSince(String uploader, String downloader, Instant since) {
      return h.createQuery(
              "SELECT COUNT(*) FROM reputation_credits WHERE uploader = :u AND downloader = :d"
                  + " AND at_ms >= :since")
          .bind("u", uploader)
          .bind("d", downloader)
          .bind("since", since.toEpochMilli())
          .mapTo(Integer.class)
          .one();
    }

    /** Stores an accepted part. */
    public void addCredit(CreditRow part) {
      h.createUpdate(
              "INSERT INTO reputation_credits (uploader, downloader, sha256, first_byte, last_byte,"
                  + " issued_at, bytes, trust, at_ms) VALUES (:u, :d, :s, :f, :l, :i, :b, :t, :at)")
          .bind("u", part.uploader())
          .bind("d", part.downloader())
          .bind("s", part.sha256().hex())
          .bind("f", part.first())
          .bind("l", part.last())
          .bind("i", part.issuedAt())
          .bind("b", part.last() - part.first() + 1)
          .bind("t", part.trust())
          .bind("at", part.at().toEpochMilli())
          .execute();
    }

    /** Reports accepted from {@code reporter} since {@code since}. */
    public int reportsSince(String reporter, Instant since) {
      return h.createQuery(
              "SELECT COUNT(*) FROM reputation_reports WHERE reporter = :r AND at_ms >= :since")
          .bind("r", reporter)
          .bind("since", since.toEpochMilli())
          .mapTo(Integer.class)
          .one();
    }

    /** Whether this reporter already reported this subject, file and kind on that day. */
    public boolean hasReport(ReportRow report) {
      return h.createQuery(
                  "SELECT COUNT(*) FROM reputation_reports WHERE reporter = :r AND subject = :p"
                      + " AND sha256 = :s AND kind = :k AND day_no = :day")
              .bind("r", report.reporter())
              .bind("p", report.subject())
              .bind("s", report.sha256().hex())
              .bind("k", report.kind())
              .bind("day", epochDay(report.at()))
              .mapTo(Long.class)
              .one()
          > 0;
    }

    /** Stores an accepted report. */
    public void addReport(ReportRow report) {
      h.createUpdate(
              "INSERT INTO reputation_reports (reporter, subject, sha256, kind, day_no, trust,"
                  + " at_ms) VALUES (:r, :p, :s, :k, :day, :t, :at)")
          .bind("r", report.reporter())
          .bind("p", report.subject())
          .bind("s", report.sha256().hex())
          .bind("k", report.kind())
          .bind("day", epochDay(report.at()))
          .bind("t", report.trust())
          .bind("at", report.at().toEpochMilli())
          .execute();
    }

    /** Adds {@code seconds} of seen uptime to the peer, on the day of {@code at}. */
    public void addUptime(String peerId, Instant at, long seconds) {
      long day = epochDay(at);
      int updated =
          h.createUpdate(
                  "UPDATE reputation_uptime SET up_seconds = up_seconds + :s"
                      + " WHERE peer_id = :p AND day_no = :day")
              .bind("s", seconds)
              .bind("p", peerId)
              .bind("day", day)
              .execute();
      if (updated == 0) {
        h.createUpdate(
                "INSERT INTO reputation_uptime (peer_id, day_no, up_seconds) VALUES (:p, :day, :s)")
            .bind("p", peerId)
            .bind("day", day)
            .bind("s", seconds)
            .execute();
      }
      int touched =
          h.createUpdate(
                  "UPDATE reputation_peers SET uptime_seen_s = uptime_seen_s + :s"
                      + " WHERE peer_id = :p")
              .bind("s", seconds)
              .bind("p", peerId)
              .execute();
      if (touched == 0) {
        h.createUpdate(
                "INSERT INTO reputation_peers (peer_id, current_level, uptime_seen_s, updated_ms)"
                    + " VALUES (:p, 0, :s, :at)")
            .bind("p", peerId)
            .bind("s", seconds)
            .bind("at", at.toEpochMilli())
            .execute();
      }
    }

    /** The peer's level and uptime seen; (0, 0) for a peer never scored. */
    public Standing standing(String peerId) {
      return h.createQuery(
              "SELECT current_level, uptime_seen_s FROM reputation_peers WHERE peer_id = :p")
          .bind("p", peerId)
          .map((rs, ctx) -> new Standing(rs.getInt(1), rs.getLong(2)))
          .findOne()
          .orElse(new Standing(0, 0));
    }

    /** Sets the peer's level (every index server on the database reloads it: {@link ChangeLog}). */
    public void setLevel(String peerId, int level, Instant at) {
      ChangeLog.note(h, ChangeLog.Kind.LEVEL, peerId, at);
      int updated =
          h.createUpdate(
                  "UPDATE reputation_peers SET current_level = :l, updated_ms = :at"
                      + " WHERE peer_id = :p")
              .bind("l", level)
              .bind("at", at.toEpochMilli())
              .bind("p", peerId)
              .execute();
      if (updated == 0) {
        h.createUpdate(
                "INSERT INTO reputation_peers (peer_id, current_level, uptime_seen_s, updated_ms)"
                    + " VALUES (:p, :l, 0, :at)")
            .bind("p", peerId)
            .bind("l", level)
            .bind("at", at.toEpochMilli())
            .execute();
      }
    }

    /** Records a change of the peer's level, keeping the newest {@value #HISTORY_KEPT} rows. */
    public void addHistory(String peerId, Instant at, int level, String reason) {
      h.createUpdate(
              "INSERT INTO reputation_history (peer_id, at_ms, new_level, reason)"
                  + " VALUES (:p, :at, :l, :r)")
          .bind("p", peerId)
          .bind("at", at.toEpochMilli())
          .bind("l", level)
          .bind("r", reason.length() > 300 ? reason.substring(0, 300) : reason)
          .execute();
      h.createQuery(
              "SELECT id FROM reputation_history WHERE peer_id = :p ORDER BY id DESC"
                  + " OFFSET "
                  + HISTORY_KEPT
                  + " ROWS FETCH FIRST 1 ROWS ONLY")
          .bind("p", peerId)
          .mapTo(Long.class)
          .findOne()
          .ifPresent(
              oldest ->
                  h.createUpdate("DELETE FROM reputation_history WHERE peer_id = :p AND id <= :id")
                      .bind("p", peerId)
                      .bind("id", oldest)
                      .execute());
    }

    /** The peer's newest history rows, newest first. */
    public List<ReputationChange> history(String peerId, int limit) {
      return h.createQuery(
              "SELECT at_ms, new_level, reason FROM reputation_history WHERE peer_id = :p"
                  + " ORDER BY id DESC FETCH FIRST "
                  + Math.max(1, limit)
                  + " ROWS ONLY")
          .bind("p", peerId)
          .map(
              (rs, ctx) ->
                  new ReputationChange(rs.getLong(1) / 1000, rs.getInt(2), rs.getString(3)))
          .list();
    }

    /** Everything that counts for the peer's level. */
    public PeerEvidence evidenceOf(String peerId) {
      List<Credit> credits =
          h.createQuery(
                  "SELECT downloader, sha256, bytes, trust, at_ms FROM reputation_credits"
                      + " WHERE uploader = :p")
              .bind("p", peerId)
              .map(
                  (rs, ctx) ->
                      new Credit(
                          rs.getString(1),
                          Sha256.of(rs.getString(2)),
                          rs.getLong(3),
                          rs.getDouble(4),
                          Instant.ofEpochMilli(rs.getLong(5))))
              .list();
      List<UptimeDay> uptime =
          h.createQuery("SELECT day_no, up_seconds FROM reputation_uptime WHERE peer_id = :p")
              .bind("p", peerId)
              .map((rs, ctx) -> new UptimeDay(rs.getLong(1), rs.getLong(2)))
              .list();
      List<Penalty> penalties =
          h.createQuery(
                  "SELECT reporter, kind, trust, at_ms FROM reputation_reports WHERE subject = :p")
              .bind("p", peerId)
              .map(
                  (rs, ctx) ->
                      new Penalty(
                          rs.getString(1),
                          rs.getString(2),
                          rs.getDouble(3),
                          Instant.ofEpochMilli(rs.getLong(4))))
              .list();
      return new PeerEvidence(credits, uptime, penalties);
    }

    /** Every stored level. */
    public Map<String, Integer> levels() {
      Map<String, Integer> levels = new HashMap<>();
      h.createQuery("SELECT peer_id, current_level FROM reputation_peers")
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
          .forEach(e -> levels.put(e.getKey(), e.getValue()));
      return levels;
    }

    /** Deletes evidence from before {@code cutoff}; returns the rows deleted. */
    public int deleteBefore(Instant cutoff) {
      long ms = cutoff.toEpochMilli();
      return h.execute("DELETE FROM reputation_credits WHERE at_ms < ?", ms)
          + h.execute("DELETE FROM reputation_reports WHERE at_ms < ?", ms)
          + h.execute("DELETE FROM reputation_uptime WHERE day_no < ?", epochDay(cutoff));
    }
  }

  /** The UTC epoch day of {@code at}. */
  static long epochDay(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), 86_400L);
  }
}
