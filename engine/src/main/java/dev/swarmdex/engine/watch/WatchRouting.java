package dev.swarmdex.engine.watch;

import dev.swarmdex.engine.routing.RendezvousHomes;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.LongFunction;

/**
 * Where saved searches and new files go, over one membership: a search to the {@code k} homes of
 * its rendezvous word, a newly published name to those homes of its words that hold searches for
 * the word. The servers ({@link Watches}) and the bench's simulation use the same rules. Pure.
 *
 * <pre>{@code
 * String word = WatchRouting.rendezvousWord("satie gymnopedie");            // "gymnopedie"
 * Set<String> to = WatchRouting.targets(homes, 2, "Gymnopedie.mp3", watchedAt); // may be empty
 * }</pre>
 */
public final class WatchRouting {
  private WatchRouting() {}

  /**
   * The word whose homes hold a search of {@code text}: its longest (a proxy for its rarest).
   *
   * @throws IllegalArgumentException when {@code text} has no word
   */
  public static String rendezvousWord(String text) {
    return WatchWords.rendezvous(WatchWords.of(text));
  }

  /**
   * The rendezvous a new file named {@code name} is sent to: for each of its words, those of the
   * word's {@code k} homes for which {@code watchedAt.test(home, wordKey)} says searches are held.
   */
  public static Set<String> targets(
      RendezvousHomes homes, int k, String name, BiPredicate<String, Long> watchedAt) {
    return targets(key -> homes.homes(key, k), name, watchedAt);
  }

  /**
   * As {@link #targets(RendezvousHomes, int, String, BiPredicate)}, over the homes {@code homesOf}
   * names for each word's key (those over several views while they differ).
   */
  public static Set<String> targets(
      LongFunction<List<String>> homesOf, String name, BiPredicate<String, Long> watchedAt) {
    Set<String> out = new LinkedHashSet<>();
    for (String term : WatchWords.terms(name)) {
      long key = RendezvousHomes.wordKey(term);
      for (String home : homesOf.apply(key)) {
        if (watchedAt.test(home, key)) {
          out.add(home);
        }
      }
    }
    return out;
  }
}
