package dev.swarmdex.index.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/** {@link PeerStoreContract} on in-memory H2, one database per test. */
class H2PeerStoreTest extends PeerStoreContract {
  @Override
  String freshDatabaseUrl() {
    return "jdbc:h2:mem:peers-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  @Override
  void dropDatabase(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    }
  }
}
