package dev.swarmdex.index.store;

import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transactional;

/**
 * SQL for the {@code peers} table. Instants travel as epoch milliseconds; rows come back through
 * {@link PeerRowMapper}. Parameters are named with {@code @Bind} since the build does not compile
 * with {@code -parameters}.
 */
interface PeerDao extends Transactional<PeerDao> {
  String COLUMNS =
      "id, name, token_hash, last_ip, last_port, firewalled, capacity_kibps, first_seen_ms,"
          + " last_seen_ms";

  @SqlUpdate(
      "INSERT INTO peers ("
          + COLUMNS
          + ") VALUES (:id, :name, :tokenHash, :lastIp, :lastPort,"
          + " :firewalled, :capacityKiBps, :firstSeenMs, :lastSeenMs)")
  void insert(
      @Bind("id") String id,
      @Bind("name") String name,
      @Bind("tokenHash") String tokenHash,
      @Bind("lastIp") String lastIp,
      @Bind("lastPort") int lastPort,
      @Bind("firewalled") boolean firewalled,
      @Bind("capacityKiBps") long capacityKiBps,
      @Bind("firstSeenMs") long firstSeenMs,
      @Bind("lastSeenMs") long lastSeenMs);

  @SqlUpdate("UPDATE peers SET public_key = :key WHERE id = :id AND public_key IS NULL")
  int registerKey(@Bind("id") String id, @Bind("key") String key);

  @SqlQuery("SELECT public_key FROM peers WHERE id = :id AND public_key IS NOT NULL")
  Optional<String> publicKey(@Bind("id") String id);

  @SqlQuery("SELECT " + COLUMNS + " FROM peers WHERE id = :id")
  Optional<PeerRecord> byId(@Bind("id") String id);

  @SqlQuery("SELECT " + COLUMNS + " FROM peers WHERE token_hash = :tokenHash")
  Optional<PeerRecord> byTokenHash(@Bind("tokenHash") String tokenHash);

  @SqlUpdate(
      "UPDATE peers SET name = :name, last_ip = :ip, last_port = :port, firewalled = :firewalled,"
          + " capacity_kibps = :capacityKiBps, last_seen_ms = :seenMs WHERE id = :id")
  int updateSession(
      @Bind("id") String id,
      @Bind("name") String name,
      @Bind("ip") String ip,
      @Bind("port") int port,
      @Bind("firewalled") boolean firewalled,
      @Bind("capacityKiBps") long capacityKiBps,
      @Bind("seenMs") long seenMs);

  @SqlUpdate("UPDATE peers SET last_seen_ms = :seenMs WHERE id = :id")
  int touch(@Bind("id") String id, @Bind("seenMs") long seenMs);

  @SqlQuery("SELECT role FROM peers WHERE id = :id")
  Optional<String> role(@Bind("id") String id);

  @SqlUpdate("UPDATE peers SET role = :role WHERE id = :id")
  int setRole(@Bind("id") String id, @Bind("role") String role);

  @SqlQuery("SELECT COUNT(*) FROM peers")
  long count();
}
