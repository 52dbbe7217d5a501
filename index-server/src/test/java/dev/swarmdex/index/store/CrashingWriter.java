package dev.swarmdex.index.store;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link H2FileDurabilityTest}: writes a peer to the H2 file database in
 * {@code args[0]}, touches it, reports {@code written} and then dies without closing anything, as a
 * killed server would.
 */
final class CrashingWriter {
  static final String WRITTEN = "written";

  private CrashingWriter() {}

  public static void main(String[] args) {
    Path dataDir = Path.of(args[0]);
    Database db = Database.open(Database.h2FileUrl(dataDir));
    db.peers().insert(H2FileDurabilityTest.crashPeer());
    db.peers().touch(H2FileDurabilityTest.crashPeer().id(), H2FileDurabilityTest.CRASH_TOUCH);
    System.out.println(WRITTEN);
    System.out.flush();
    Runtime.getRuntime().halt(3); // no close, no shutdown hooks: the database is never closed
  }
}
