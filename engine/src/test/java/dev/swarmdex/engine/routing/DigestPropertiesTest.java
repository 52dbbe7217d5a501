package dev.swarmdex.engine.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.catalog.SearchTerms;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class DigestPropertiesTest {
  private static final DigestShape SMALL = new DigestShape(12, 3);

  /** Adding names and removing some leaves the digest of the rest, whatever the names. */
  @Property(tries = 200)
  void removingNamesLeavesTheDigestOfTheRest(
      @ForAll @Size(max = 20) List<@StringLength(max = 40) String> kept,
      @ForAll @Size(max = 20) List<@StringLength(max = 40) String> gone) {
    KeywordTable both = new KeywordTable(SMALL);
    KeywordTable rest = new KeywordTable(SMALL);
    List<String> all = new ArrayList<>(gone);
    all.addAll(kept);
    all.forEach(both::add);
    kept.forEach(rest::add);
    gone.forEach(both::remove);
    assertEquals(rest.snapshot(), both.snapshot());
  }

  /** A query of a name's own words, or one of its terms cut to 2 or more characters, may match. */
  @Property(tries = 300)
  void aNamesOwnWordsAlwaysMayMatch(
      @ForAll @StringLength(min = 1, max = 60) String name, @ForAll int cut) {
    List<String> terms = SearchTerms.terms(name);
    if (terms.isEmpty()) {
      return;
    }
    KeywordTable table = new KeywordTable(SMALL);
    table.add("unrelated other.txt");
    table.add(name);
    Digest digest = table.snapshot();
    assertTrue(digest.mayMatch(DigestQuery.of(name)), name);
    String last = terms.get(Math.floorMod(cut, terms.size()));
    int chars = last.codePointCount(0, last.length());
    // The catalog takes a typed word as a prefix from 2 characters: shorter, only whole.
    int keep = chars < 2 ? chars : 2 + Math.floorMod(cut, chars - 1);
    String typed = last.substring(0, last.offsetByCodePoints(0, keep));
    assertTrue(digest.mayMatch(DigestQuery.of(typed)), typed + " of " + name);
    assertTrue(Digest.decode(digest.encode(), SMALL).mayMatch(DigestQuery.of(name)));
  }

  /**
   * Any of a name's terms typed together, in any order, the last cut to a prefix, may match: the
   * pairs of heads never make a digest say no to a name that holds every word.
   */
  @Property(tries = 300)
  void anyOfANamesTermsTogetherMayMatch(
      @ForAll @StringLength(min = 1, max = 60) String name,
      @ForAll @StringLength(min = 1, max = 60) String other,
      @ForAll long seed) {
    List<String> terms = new ArrayList<>(SearchTerms.terms(name));
    if (terms.isEmpty()) {
      return;
    }
    java.util.Random random = new java.util.Random(seed);
    java.util.Collections.shuffle(terms, random);
    List<String> typed =
        new ArrayList<>(terms.subList(0, 1 + random.nextInt(Math.min(4, terms.size()))));
    String last = typed.get(typed.size() - 1);
    int chars = last.codePointCount(0, last.length());
    int keep = chars < 2 ? chars : 2 + random.nextInt(chars - 1);
    typed.set(typed.size() - 1, last.substring(0, last.offsetByCodePoints(0, keep)));
    String text = String.join(" ", typed);
    KeywordTable table = new KeywordTable(SMALL);
    table.add(other);
    table.add(name);
    try {
      assertTrue(table.snapshot().mayMatch(DigestQuery.of(text)), text + " of " + name);
    } catch (IllegalArgumentException e) {
      // not a search the catalog takes (too many words once split)
    }
  }

  /**
   * A name of many words (more heads than get pairs) still matches any two of its words, and puts a
   * bounded number of keys: a hostile leaf cannot fill its directory's digest with pairs.
   */
  @Property(tries = 200)
  void aNameOfManyWordsMatchesAnyTwoOfThemWithBoundedKeys(
      @ForAll @Size(min = 20, max = 60)
          List<@AlphaChars @StringLength(min = 1, max = 4) String> words,
      @ForAll int i,
      @ForAll int j) {
    String name = String.join(" ", words);
    KeywordTable table = new KeywordTable(SMALL);
    table.add(name);
    Digest digest = table.snapshot();
    String a = words.get(Math.floorMod(i, words.size()));
    String b = words.get(Math.floorMod(j, words.size()));
    assertTrue(digest.mayMatch(DigestQuery.of(a + " " + b + " ")), a + " " + b + " in " + name);
    int pairsAtMost = DigestKeys.MAX_PAIR_HEADS * (DigestKeys.MAX_PAIR_HEADS - 1) / 2;
    assertTrue(DigestKeys.of(name).length <= words.size() * 10 + pairsAtMost, name);
  }

  @org.junit.jupiter.api.Test
  void aHundredTwoLetterWordsPutOneMarkerNotFiveThousandPairs() {
    List<String> words = new ArrayList<>();
    for (char c = 'b'; c <= 'k'; c++) {
      for (char d = '0'; d <= '9'; d++) {
        words.add("" + c + d);
      }
    }
    long[] keys = DigestKeys.of(String.join(" ", words) + ".txt");
    assertTrue(keys.length < 500, "keys: " + keys.length + " (all pairs would be 5,050)");
    assertTrue(java.util.Arrays.stream(keys).anyMatch(k -> k == DigestKeys.MANY_HEADS));
    assertTrue(
        java.util.Arrays.stream(DigestKeys.of("beatles live at the bbc.mp3"))
            .noneMatch(k -> k == DigestKeys.MANY_HEADS),
        "a real name lists its pairs");
  }
}
