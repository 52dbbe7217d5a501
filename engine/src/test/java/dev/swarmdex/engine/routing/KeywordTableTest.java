package dev.swarmdex.engine.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeywordTableTest {
  private static Digest digestOf(String... names) {
    KeywordTable table = new KeywordTable(DigestShape.STANDARD);
    for (String name : names) {
      table.add(name);
    }
    return table.snapshot();
  }

  private static boolean may(Digest digest, String text) {
    return digest.mayMatch(DigestQuery.of(text));
  }

  @Test
  void aSharedNameMatchesItsWordsItsPartsAndItsPrefixes() {
    Digest d = digestOf("Hey Jude - The Beatles (PowerPoint2007 remix).mp3");
    assertTrue(may(d, "jude"));
    assertTrue(may(d, "HEY jude beatles"));
    assertTrue(may(d, "power point 2007"), "parts are indexed terms");
    assertTrue(may(d, "PowerPoint2007"));
    assertTrue(may(d, "heyJude"), "a camelCase query matches through its parts");
    assertTrue(may(d, "jude bea"), "the last word, typed on, is a prefix");
    assertTrue(may(d, "beatl"));
    assertFalse(may(d, "zeppelin"));
    assertFalse(may(d, "jude zeppelin"), "every word must match");
  }

  @Test
  void aWordFollowedBySpaceIsNoPrefix() {
    Digest d = digestOf("The Beatles.mp3");
    assertTrue(may(d, "bea"));
    assertFalse(may(d, "bea "), "the catalog looks for the term bea alone");
    assertFalse(may(d, "b"), "one letter is never a prefix");
  }

  @Test
  void aLongTypedWordIsLookedForByItsFirst8Or11Or16Characters() {
    Digest d = digestOf("ActionStateParser.h");
    assertTrue(may(d, "beatles") == false && may(d, "actionstateparser"));
    assertTrue(may(d, "actionstatepa"), "13 characters: its first 11 are held");
    assertFalse(may(d, "actionsxyz"), "10 characters: its first 8 are not held");
    // The catalog would walk the terms starting "actionstatequx" and find none; the digest only
    // holds "actionstate", so it says maybe: a wasted question, never a lost result.
    assertTrue(may(d, "actionstatequx"));
    assertFalse(may(d, "actionstatequx "));
  }

  @Test
  void twoWordsMatchOnlyWhereOneNameHoldsBoth() {
    Digest d = digestOf("The Beatles - Help.mp3", "Live at Leeds.flac");
    assertTrue(may(d, "beatles help"));
    assertTrue(may(d, "live leeds"));
    assertFalse(may(d, "beatles live"), "each word is held, never in one name");
    assertFalse(may(d, "beatles lee"), "nor as the typed prefix of a word of another name");
    assertTrue(may(d, "beatles he"), "a prefix of 2 characters names no head: maybe");
  }

  @Test
  void accentsAndCaseFoldAsTheCatalogFoldsThem() {
    Digest d = digestOf("Café del Mar – Straße.flac");
    assertTrue(may(d, "cafe"));
    assertTrue(may(d, "CAFÉ strasse"));
  }

  @Test
  void aLeafLeavingClearsTheSlotsOnlyItSet() {
    KeywordTable table = new KeywordTable(DigestShape.STANDARD);
    table.add("Hey Jude.mp3");
    table.add("Let It Be.mp3");
    table.add("Hey Jude.mp3"); // a second leaf shares the same name
    table.remove("Let It Be.mp3");
    assertFalse(may(table.snapshot(), "let it be"));
    table.remove("Hey Jude.mp3");
    assertTrue(may(table.snapshot(), "hey jude"), "one leaf still shares it");
    table.remove("Hey Jude.mp3");
    assertEquals(Digest.empty(DigestShape.STANDARD), table.snapshot());
    assertEquals(0, table.entries());
  }

  @Test
  void removingANameNeverAddedIsRefusedAndChangesNothing() {
    KeywordTable table = new KeywordTable(DigestShape.STANDARD);
    table.add("Hey Jude.mp3");
    Digest before = table.snapshot();
    long version = table.version();
    assertThrows(IllegalStateException.class, () -> table.remove("Yellow Submarine.mp3"));
    assertEquals(before, table.snapshot());
    assertEquals(version, table.version());
    assertThrows(
        IllegalStateException.class, () -> new KeywordTable(DigestShape.STANDARD).remove("x"));
  }

  @Test
  void repeatedWordsInOneNameCountOnce() {
    KeywordTable table = new KeywordTable(DigestShape.STANDARD);
    table.add("la la la land.mkv");
    table.add("land.mkv");
    table.remove("la la la land.mkv");
    assertEquals(digestOf("land.mkv"), table.snapshot());
  }

  @Test
  void theVersionAdvancesWithEveryChange() {
    KeywordTable table = new KeywordTable(DigestShape.STANDARD);
    long v0 = table.version();
    table.add("a.txt");
    long v1 = table.version();
    table.remove("a.txt");
    assertTrue(v0 < v1 && v1 < table.version());
  }

  /**
   * A directory of 100 leaves x 30 names of random letters (the worst case: their prefixes are
   * hardly shared, about 29,000 keys) sets about a third of the standard table, and an absent word
   * looks present about fill^4 of the time, under 2.5%. Real names share far more (the bench's
   * figures, docs/ARCHITECTURE.md).
   */
  @Test
  void aFullDirectoryStaysSelective() {
    Random random = new Random(21);
    List<String> vocabulary = SyntheticNames.vocabulary(random, 20_000);
    KeywordTable table = new KeywordTable(DigestShape.STANDARD);
    for (int i = 0; i < 3_000; i++) {
      table.add(SyntheticNames.name(random, vocabulary));
    }
    Digest d = table.snapshot();
    assertTrue(d.fillRatio() < 0.4, "fill " + d.fillRatio());
    java.util.Set<String> shared = new java.util.HashSet<>(vocabulary);
    int maybe = 0;
    int tries = 0;
    for (String absent : SyntheticNames.vocabulary(new Random(7), 20_000)) {
      if (!shared.contains(absent)) {
        tries++;
        maybe += may(d, absent + " ") ? 1 : 0;
      }
    }
    double rate = maybe / (double) tries;
    assertTrue(rate < 0.025, maybe + " false maybes of " + tries);
    double expected = d.falsePositiveRate();
    assertTrue(rate > expected / 2 && rate < expected * 2, rate + " against " + expected);
    assertNotEquals(0, d.setSlots());
  }
}
