package dev.swarmdex.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole index server on PostgreSQL, chosen by JDBC URL as an operator would: migrations run at
 * start-up, and identities survive a restart. Skips, saying why, when no server is reachable at
 * {@code SWARMDEX_PG_URL} (default as set up by {@code .ci/postgres.sh}).
 */
class PostgresServerTest {
  @TempDir Path data;

  @Test
  void runsOnPostgresAndKeepsIdentitiesAcrossARestart() throws Exception {
    try (PostgresSchema pg = PostgresSchema.create("PostgresServerTest")) {
      String url = pg.url();
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
      try (Statement check = pg.admin().createStatement();
          var rows = check.executeQuery("SELECT count(*) FROM " + pg.name() + ".peers")) {
        rows.next();
        assertEquals(1, rows.getInt(1));
      }
    }
  }
}
