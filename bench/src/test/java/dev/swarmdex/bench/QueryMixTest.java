package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QueryMixTest {
  private static final List<String> NAMES = names();

  /** "common" is in every name, "middle" in every tenth, "rare-k" in one each. */
  private static List<String> names() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      names.add("Common_" + (i % 10 == 0 ? "middle-" : "") + "rare" + i + "x.tar.gz");
    }
    return names;
  }

  @Test
  void splitsNamesIntoLowerCaseWordsOfTwoOrMoreCharacters() {
    assertEquals(List.of("heyjude", "1968", "mp3"), QueryMix.words("HeyJude_1968.MP3"));
    assertEquals(List.of("libc6", "dev", "2x"), QueryMix.words("libc6-dev_a_2x.b"));
    assertEquals(List.of("café", "del", "mar"), QueryMix.words("Café del Mar"));
  }

  @Test
  void theSameSeedDrawsTheSameQueries() {
    QueryMix mix = QueryMix.of(NAMES, 1.0);

    List<String> first = mix.draw(new SplittableRandom(7), 500);
    List<String> again = mix.draw(new SplittableRandom(7), 500);
    List<String> other = mix.draw(new SplittableRandom(8), 500);

    assertEquals(first, again);
    assertNotEquals(first, other);
  }

  @Test
  void popularWordsAreDrawnMoreOften() {
    QueryMix mix = QueryMix.of(NAMES, 1.0);
    assertEquals("common", mix.word(0)); // in all 200 names (as are "tar" and "gz"; ties by text)
    Map<String, Integer> firstWords = new HashMap<>();
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 20_000; i++) {
      firstWords.merge(mix.word(mix.drawRank(random)), 1, Integer::sum);
    }

    int common = firstWords.getOrDefault("common", 0);
    int middle = firstWords.getOrDefault("middle", 0);
    int rare = firstWords.getOrDefault("rare150x", 0);
    assertTrue(common > middle, common + " vs " + middle);
    assertTrue(middle > rare, middle + " vs " + rare);
    assertTrue(common > 20_000 / 10, "the top word is a large share: " + common);
  }

  @Test
  void multiWordQueriesTakeWordsThatOccurTogether() {
    QueryMix mix = QueryMix.of(List.of("alpha beta.txt", "gamma delta.txt"), 1.0);
    SplittableRandom random = new SplittableRandom(3);
    for (String query : mix.draw(random, 200)) {
      List<String> words = QueryMix.words(query);
      assertTrue(words.size() >= 1 && words.size() <= 3, query);
      boolean first = List.of("alpha", "beta", "txt").containsAll(words);
      boolean second = List.of("gamma", "delta", "txt").containsAll(words);
      assertTrue(first || second, query);
    }
  }

  @Test
  void theRarestWordOfANameIsTheOneFewestNamesHold() {
    QueryMix mix = QueryMix.of(NAMES, 1.0);

    assertEquals("rare7x", mix.rarestWord("Common_rare7x.tar.gz"));
    assertEquals(1, mix.frequency("rare7x"));
    assertEquals(20, mix.frequency("middle"));
    assertNull(mix.rarestWord("unknown words.bin"));
  }
}
