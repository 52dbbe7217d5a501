package dev.swarmdex.index.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads one {@code peers} row into a {@link PeerRecord}. */
final class PeerRowMapper implements RowMapper<PeerRecord> {
  @Override
  public PeerRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new PeerRecord(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("token_hash"),
        rs.getString("last_ip"),
        rs.getInt("last_port"),
        rs.getBoolean("firewalled"),
        rs.getLong("capacity_kibps"),
        Instant.ofEpochMilli(rs.getLong("first_seen_ms")),
        Instant.ofEpochMilli(rs.getLong("last_seen_ms")));
  }
}
