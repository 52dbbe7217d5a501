package dev.swarmdex.index.cluster;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.mesh.MeshRegistry;
import dev.swarmdex.index.identity.BanList;
import dev.swarmdex.index.reputation.ReputationLedger;
import dev.swarmdex.index.store.BanRecord;
import dev.swarmdex.index.store.ChangeLog;
import dev.swarmdex.index.store.ChangeLog.Change;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the database's change log after the last row it saw and reloads what each row names: the
 * bans (a new ban ends the banned peers' sessions here and at this server's supernodes, as a ban
 * placed here does) or a peer's reputation level. Ids are handed out when a row is written but
 * become visible when its transaction commits, so an id skipped over may still appear: it is looked
 * for again for {@link #GAP_WAIT}.
 */
public final class ChangeFollower {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFollower.class);

  /** How long a skipped id is looked for (a transaction still open when its successor was read). */
  static final Duration GAP_WAIT = Duration.ofSeconds(10);

  private static final int BATCH = 1_000;

  /** How long rows are kept: a server that was away longer reads the whole state at its start. */
  private static final Duration KEPT = Duration.ofDays(1);

  private final ChangeLog log;
  private final BanList bans;
  private final ReputationLedger levels;
  private final Directory directory;
  private final MeshRegistry registry;
  private final Clock clock = Clock.systemUTC();
  // Guarded by this.
  private ChangeCursor cursor;
  private volatile Duration lastDelay = Duration.ZERO;

  /** Follows {@code log} from its end now: what is stored already was read at start. */
  public ChangeFollower(
      ChangeLog log,
      BanList bans,
      ReputationLedger levels,
      Directory directory,
      MeshRegistry registry) {
    this.log = log;
    this.bans = bans;
    this.levels = levels;
    this.directory = directory;
    this.registry = registry;
    this.cursor = new ChangeCursor(log.last(), GAP_WAIT.toMillis());
  }

  /** Reads and applies the rows written since the last call; returns how many. */
  public synchronized int poll() {
    long now = clock.millis();
    List<Change> rows = log.after(cursor.readAfter(now), BATCH);
    ChangeCursor before = cursor.copy();
    try {
      return apply(rows, now);
    } catch (RuntimeException e) {
      cursor = before; // nothing of this batch counts as applied: the next poll reads it again
      throw e;
    }
  }

  private int apply(List<Change> rows, long now) {
    boolean banned = false;
    Set<String> rescored = new LinkedHashSet<>();
    int applied = 0;
    for (Change row : rows) {
      if (!cursor.take(row.id(), now)) {
        continue; // applied before
      }
      applied++;
      lastDelay = Duration.ofMillis(Math.max(0, now - row.at().toEpochMilli()));
      if (row.kind() == null) {
        LOG.warn("change {} is of a kind this version does not know; skipping it", row.id());
        continue;
      }
      switch (row.kind()) {
        case BAN -> banned = true;
        case LEVEL -> rescored.add(row.subject());
        case PROMOTE, DEMOTE -> meshChange(row);
      }
    }
    if (banned) {
      bans.reload().forEach(this::enforce);
    }
    if (!rescored.isEmpty()) {
      levels.reload(rescored);
    }
    return applied;
  }

  /** Deletes the rows older than a day (a server away longer reads the whole state at start). */
  public void prune() {
    log.prune(clock.instant().minus(KEPT));
  }

  /** How long after it was written the latest row was applied here (clocks permitting). */
  public Duration lastDelay() {
    return lastDelay;
  }

  /** An admin's promotion or demotion made at another server, for a peer this one holds. */
  private void meshChange(Change row) {
    String peerId = row.subject();
    try {
      if (row.kind() == ChangeLog.Kind.PROMOTE
          && (directory.isOnline(peerId) || !registry.supernodesOf(peerId).isEmpty())) {
        registry.promote(peerId);
      } else if (row.kind() == ChangeLog.Kind.DEMOTE
          && registry.members().stream().anyMatch(m -> m.id().equals(peerId))) {
        registry.demote(peerId);
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "{} of {} asked at another index server failed: {}", row.kind(), peerId, e.toString());
    }
  }

  private void enforce(BanRecord ban) {
    Set<String> peers = ban.peerId() == null ? Set.of() : Set.of(ban.peerId());
    List<String> ended = directory.kick(peers, ban.ip());
    List<String> leaves = registry.evict(peers, ban.ip());
    LOG.info(
        "ban {} placed at another index server: ended sessions {}, leaves evicted {}",
        ban.id(),
        ended,
        leaves);
  }
}
