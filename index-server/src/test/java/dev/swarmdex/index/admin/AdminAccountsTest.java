package dev.swarmdex.index.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.store.Database;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminAccountsTest {
  static final char[] PASSWORD = "correct horse battery".toCharArray();

  Database db;
  AdminAccounts accounts;

  @BeforeEach
  void open() {
    db = Database.open("jdbc:h2:mem:admins-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    accounts = AdminAccounts.using(db.jdbi());
  }

  @AfterEach
  void close() {
    db.close();
  }

  String storedHash(String name) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT password_hash FROM admins WHERE name = :name")
                    .bind("name", name)
                    .mapTo(String.class)
                    .one());
  }

  @Test
  void firstStartCreatesTheAdminAndThePasswordVerifies() {
    assertFalse(accounts.exists());
    assertTrue(accounts.ensureAdmin("admin", PASSWORD));
    assertTrue(accounts.exists());
    assertTrue(accounts.verify("admin", "correct horse battery".toCharArray()));
    assertFalse(accounts.verify("admin", "correct horse battery!".toCharArray()));
    assertFalse(accounts.verify("admin", "".toCharArray()));
    assertFalse(accounts.verify("root", PASSWORD), "an unknown name never verifies");
  }

  @Test
  void onlyAHashInTheDocumentedFormatIsStored() {
    accounts.ensureAdmin("admin", PASSWORD);
    String hash = storedHash("admin");
    assertTrue(
        hash.matches("pbkdf2-sha256\\$210000\\$[A-Za-z0-9+/]{22}==\\$[A-Za-z0-9+/]{43}="), hash);
    assertFalse(hash.contains("horse"));
    assertTrue(PasswordHash.matches(PASSWORD, hash));
    // A fresh salt each time: the same password never hashes the same twice.
    String again = PasswordHash.hash(PASSWORD);
    assertFalse(again.equals(hash));
    assertTrue(PasswordHash.matches(PASSWORD, again));
  }

  @Test
  void aHashWithOtherIterationsStillVerifies() {
    String hash = PasswordHash.hash(PASSWORD);
    String[] parts = hash.split("\\$");
    assertEquals("210000", parts[1]);
    assertFalse(PasswordHash.matches(PASSWORD, parts[0] + "$1000$" + parts[2] + "$" + parts[3]));
    assertFalse(PasswordHash.matches(PASSWORD, "not a hash"));
    assertFalse(PasswordHash.matches(PASSWORD, "pbkdf2-sha256$x$y$z"));
  }

  @Test
  void aLaterStartNeverChangesTheAdmin() {
    assertTrue(accounts.ensureAdmin("admin", PASSWORD));
    assertFalse(accounts.ensureAdmin("admin", "another long password".toCharArray()));
    assertFalse(accounts.ensureAdmin("other", "another long password".toCharArray()));
    assertTrue(accounts.verify("admin", PASSWORD), "the first password still works");
    assertFalse(accounts.verify("admin", "another long password".toCharArray()));
    assertFalse(accounts.verify("other", "another long password".toCharArray()));
  }

  @Test
  void aShortPasswordOrBadNameIsRefusedWithAReason() {
    IllegalArgumentException tooShort =
        assertThrows(
            IllegalArgumentException.class,
            () -> accounts.ensureAdmin("admin", "elevenchars".toCharArray()));
    assertEquals("admin password must be at least 12 characters long", tooShort.getMessage());
    assertThrows(IllegalArgumentException.class, () -> accounts.ensureAdmin("-", PASSWORD));
    assertThrows(IllegalArgumentException.class, () -> accounts.ensureAdmin("a b", PASSWORD));
    assertFalse(accounts.exists(), "nothing was stored");
  }
}
