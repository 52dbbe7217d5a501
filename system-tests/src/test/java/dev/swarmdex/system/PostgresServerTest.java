package dev.swarmdex.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole index server on PostgreSQL, chosen by JDBC URL as an operator would: migrations run at
 * start-up, and identities survive a restart. Skips, saying why, when no server is reachable at
 * {@code SWARMDEX_PG_URL} (default as set up by {@code .ci/postgres.sh}).
 */
class PostgresServerTest {
  private static final String DEFAULT_URL =
      "jdbc:postgresql://127.0.0.1:5432/swarmdex_test?user=swarmdex&password=swarmdex";

  @TempDir Path data;

  @Test
  void runsOnPostgresAndKeepsIdentitiesAcrossARestart() throws Exception {
    String base = System.getenv().getOrDefault("SWARMDEX_PG_URL", DEFAULT_URL);
    String schema = "swx_system_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection admin = connect(base);
        Statement sql = admin.createStatement()) {
      sql.execute("CREATE SCHEMA " + schema);
      try {
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        Config config =
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(data)
                .withDbUrl(url)
                .withRateLimit(0);
        Credentials peer;
        PeerKey key = PeerKey.generate(); // the peer's identity key, kept across the restart
        try (IndexServer server = IndexServer.start(config);
            ApiClient api = ApiClient.create(server.uri(), null, key)) {
          peer = api.join(new JoinRequest("pg-peer", 6346, 0), null).credentials();
          api.publish(
              peer,
              new FileList(
                  List.of(new SharedFile("Postgres Manual.pdf", 9, Sha256.of("e".repeat(64))))));
          assertEquals(1, api.search(SearchQuery.of("postgres manual")).results().size());
        }
        try (IndexServer restarted = IndexServer.start(config);
            ApiClient api = ApiClient.create(restarted.uri(), null, key)) {
          assertEquals(
              peer.peerId(),
              api.join(new JoinRequest("pg-peer", 6346, 0), peer).peerId(),
              "the identity, and its key, were kept in PostgreSQL");
          try (ApiClient thief = ApiClient.create(restarted.uri(), null)) {
            assertEquals(
                401,
                org.junit.jupiter.api.Assertions.assertThrows(
                        dev.swarmdex.protocol.ApiException.class,
                        () -> thief.join(new JoinRequest("pg-peer", 6346, 0), peer))
                    .status(),
                "the token without the key joins nothing");
          }
        }
        try (Statement check = admin.createStatement();
            var rows = check.executeQuery("SELECT count(*) FROM " + schema + ".peers")) {
          rows.next();
          assertEquals(1, rows.getInt(1));
        }
      } finally {
        sql.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  private static Connection connect(String url) {
    try {
      DriverManager.setLoginTimeout(3);
      return DriverManager.getConnection(url);
    } catch (SQLException e) {
      String reason =
          "no PostgreSQL at "
              + URI.create(url.substring(5)).getAuthority()
              + " ("
              + e.getMessage()
              + "); run .ci/postgres.sh as root or set SWARMDEX_PG_URL";
      System.out.println("SKIPPED PostgresServerTest: " + reason);
      assumeTrue(false, reason);
      throw new AssertionError(reason);
    }
  }
}
