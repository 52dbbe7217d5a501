package dev.swarmdex.index.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.directory.StoreException;
import org.junit.jupiter.api.Test;

/** Opening databases that are not there, or not supported, fails clearly. */
class DatabaseTest {
  @Test
  void unsupportedUrlIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Database.open("jdbc:mysql://localhost/x?user=u&password=secret"));

    assertTrue(e.getMessage().contains("jdbc:h2:"), e.getMessage());
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
  }

  @Test
  void unreachableServerIsAStoreExceptionWithoutThePassword() {
    StoreException e =
        assertThrows(
            StoreException.class,
            () ->
                Database.open(
                    "jdbc:postgresql://127.0.0.1:1/none?user=u&password=secret&connectTimeout=2"));

    assertTrue(e.getMessage().startsWith("cannot open or migrate jdbc:postgresql://127.0.0.1:1/"));
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
  }

  @Test
  void redactHidesPasswordsInBothUrlStyles() {
    assertEquals(
        "jdbc:postgresql://h/db?user=u&password=***&ssl=true",
        Database.redact("jdbc:postgresql://h/db?user=u&password=p4ss&ssl=true"));
    assertEquals(
        "jdbc:h2:file:/d;USER=sa;PASSWORD=***",
        Database.redact("jdbc:h2:file:/d;USER=sa;PASSWORD=x"));
  }
}
