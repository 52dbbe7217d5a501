package dev.swarmdex.index.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmdex.index.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ReputationStoreContract} on in-memory H2, and the H2 file surviving a restart. */
class H2ReputationStoreTest extends ReputationStoreContract {
  @Override
  String freshDatabaseUrl() {
    return "jdbc:h2:mem:reputation-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  @Override
  void dropDatabase(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    }
  }

  @Test
  void levelsHistoryAndEvidenceSurviveARestart(@TempDir Path dir) {
    String file = Database.h2FileUrl(dir);
    try (Database first = Database.open(file)) {
      ReputationStore.using(first.jdbi())
          .inTransaction(
              t -> {
                t.addCredit(part("pDown", 0, 99, T0));
                t.addUptime("pUp", T0, 120);
                t.setLevel("pUp", 17, T0);
                t.addHistory("pUp", T0, 17, "receipt from pDown");
                return null;
              });
    }
    try (Database again = Database.open(file)) {
      ReputationStore reopened = ReputationStore.using(again.jdbi());
      assertEquals(new ReputationStore.Standing(17, 120), reopened.read(t -> t.standing("pUp")));
      assertEquals("receipt from pDown", reopened.read(t -> t.history("pUp", 5)).get(0).reason());
      assertEquals(1, reopened.read(t -> t.evidenceOf("pUp")).credits().size());
    }
  }
}
