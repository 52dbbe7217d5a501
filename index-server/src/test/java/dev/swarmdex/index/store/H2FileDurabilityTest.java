package dev.swarmdex.index.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default, an H2 file in the data directory, keeps what was committed. */
class H2FileDurabilityTest {
  static final Instant CRASH_TOUCH = Instant.parse("2025-06-01T12:00:00.042Z");

  @TempDir Path dataDir;

  static PeerRecord crashPeer() {
    return new PeerRecord(
        "p-crash",
        "survivor",
        "hash-crash",
        "203.0.113.5",
        6346,
        true,
        128,
        Instant.parse("2025-06-01T11:59:59.999Z"),
        Instant.parse("2025-06-01T11:59:59.999Z"));
  }

  @Test
  void peerSurvivesCloseAndReopenWithExactFields() {
    Path dir = dataDir.resolve("not-yet-created");
    PeerRecord alice =
        new PeerRecord(
            "p-alice",
            "Alice",
            "hash-a",
            "198.51.100.1",
            4000,
            false,
            2048,
            Instant.parse("2025-01-02T03:04:05.678Z"),
            Instant.parse("2025-01-02T03:09:05.001Z"));

    try (Database db = Database.open(Database.h2FileUrl(dir))) {
      db.peers().insert(alice);
    }
    assertTrue(Files.exists(dir.resolve("swarmdex.mv.db")), "database file in the data directory");

    try (Database db = Database.open(Database.h2FileUrl(dir))) {
      assertEquals(Optional.of(alice), db.peers().byId("p-alice"));
      assertEquals(Optional.of(alice), db.peers().byTokenHash("hash-a"));
      assertEquals(1, db.peers().count());
    }
  }

  @Test
  void migratingAnUpToDateFileIsANoOp() {
    String url = Database.h2FileUrl(dataDir);
    int applied;
    try (Database db = Database.open(url)) {
      db.peers().insert(PeerStoreContract.peer("p1", "h1"));
      applied = PeerStoreContract.appliedMigrations(db);
    }
    try (Database db = Database.open(url)) {
      assertEquals(applied, PeerStoreContract.appliedMigrations(db));
      assertEquals(1, db.peers().count());
    }
    try (Database db = Database.open(url)) {
      assertEquals(applied, PeerStoreContract.appliedMigrations(db));
    }
  }

  @Test
  void committedWritesSurviveAProcessThatDiesWithoutClosing() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path log = dataDir.resolve("child.log");
    Path dir = dataDir.resolve("db");
    Process child =
        new ProcessBuilder(java, "-cp", classpath, CrashingWriter.class.getName(), dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
    List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertEquals(3, child.exitValue(), "child halted after writing: " + output);
    assertTrue(output.contains(CrashingWriter.WRITTEN), output.toString());

    try (Database db = Database.open(Database.h2FileUrl(dir))) {
      PeerRecord expected = crashPeer();
      assertEquals(
          Optional.of(
              new PeerRecord(
                  expected.id(),
                  expected.name(),
                  expected.tokenHash(),
                  expected.lastIp(),
                  expected.lastPort(),
                  expected.firewalled(),
                  expected.capacityKiBps(),
                  expected.firstSeen(),
                  CRASH_TOUCH)),
          db.peers().byId(expected.id()));
    }
  }

  @Test
  void fileUrlWritesEachCommitAtOnce() {
    String url = Database.h2FileUrl(Path.of("relative", "dir"));

    assertTrue(url.startsWith("jdbc:h2:file:" + new File("relative/dir").getAbsolutePath()), url);
    assertTrue(url.endsWith("/swarmdex;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE"), url);
    assertThrows(
        IllegalArgumentException.class, () -> Database.h2FileUrl(Path.of("bad;AUTO_SERVER=TRUE")));
  }
}
