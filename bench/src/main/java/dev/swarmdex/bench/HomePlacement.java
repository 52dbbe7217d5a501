package dev.swarmdex.bench;

import dev.swarmdex.engine.routing.RendezvousHomes;
import dev.swarmdex.protocol.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Content homes over the simulated network, placed by the servers' {@link RendezvousHomes} with
 * {@code k} homes: every directory registers each content id its leaves share (a name is one
 * content: its id is the SHA-256 of the name) at the content's homes. Counts what a lookup asks and
 * what a directory's death moves.
 */
final class HomePlacement {
  /**
   * What one directory's death costs.
   *
   * @param victim the directory killed
   * @param rehomed registrations it held, re-sent to a new home by the directories that made them
   * @param rehomeMessages distinct (registering directory, new home) pairs: one batch each
   * @param ownLeaves registrations of its own leaves' contents, re-sent by the directories the
   *     leaves move to ({@code k} per distinct content)
   * @param movedElsewhere contents not homed at the victim whose homes changed (should be 0)
   * @param checked contents checked for that
   * @param duringMax most directories a lookup asks while registrations move
   * @param lostDuring contents homed at the victim whose lookup during the move asked no live home
   *     still holding it
   */
  record Death(
      int victim,
      long rehomed,
      long rehomeMessages,
      long ownLeaves,
      long movedElsewhere,
      long checked,
      int duringMax,
      long lostDuring) {}

  private final RouteNetwork network;
  private final int k;
  private final RendezvousHomes homes;
  private final Map<String, Integer> index = new HashMap<>();
  private final int[] contents;
  private final Sha256[] ids;
  private final int[] homeOf;
  private final long[] held;

  HomePlacement(RouteNetwork network, int k) {
    this.network = network;
    this.k = k;
    this.homes = RendezvousHomes.of(network.ids());
    for (int d = 0; d < network.size(); d++) {
      index.put(network.ids().get(d), d);
    }
    List<Integer> shared = new ArrayList<>();
    for (int n = 0; n < network.names().size(); n++) {
      if (network.holdersOf(n).length > 0) {
        shared.add(n);
      }
    }
    contents = shared.stream().mapToInt(Integer::intValue).toArray();
    ids = new Sha256[contents.length];
    homeOf = new int[contents.length * k];
    IntStream.range(0, contents.length)
        .parallel()
        .forEach(
            c -> {
              ids[c] = contentId(network.names().get(contents[c]));
              List<String> h = homes.homes(ids[c], k);
              for (int i = 0; i < k; i++) {
                homeOf[c * k + i] = index.get(h.get(i));
              }
            });
    held = new long[network.size()];
    for (int c = 0; c < contents.length; c++) {
      int holders = network.holdersOf(contents[c]).length;
      for (int i = 0; i < k; i++) {
        held[homeOf[c * k + i]] += holders;
      }
    }
  }

  /** Distinct contents shared. */
  int contents() {
    return contents.length;
  }

  /** Registrations directory {@code d} holds as a home. */
  long held(int d) {
    return held[d];
  }

  /** Directories a lookup of a content asks: its homes, found without asking anyone. */
  int lookupMessages(int content) {
    return homes.homes(ids[content], k).size();
  }

  /** Kills {@code victim}: what moves, checked on {@code sample} other contents. */
  Death kill(int victim, int sample) {
    List<String> live = new ArrayList<>(network.ids());
    live.remove(victim);
    RendezvousHomes after = RendezvousHomes.of(live);
    String dead = network.ids().get(victim);
    long rehomed = 0;
    long batches = 0;
    int duringMax = 0;
    long lost = 0;
    java.util.Set<Long> pairs = new java.util.HashSet<>();
    for (int c = 0; c < contents.length; c++) {
      boolean homed = false;
      for (int i = 0; i < k; i++) {
        homed |= homeOf[c * k + i] == victim;
      }
      if (!homed) {
        continue;
      }
      List<String> now = after.homes(ids[c], k);
      int gained = index.get(now.get(k - 1));
      for (int holder : network.holdersOf(contents[c])) {
        rehomed++;
        if (pairs.add(((long) holder << 32) | gained)) {
          batches++;
        }
      }
      List<String> during = RendezvousHomes.during(homes, after, ids[c], k);
      duringMax = Math.max(duringMax, during.size());
      boolean found = false;
      for (int i = 0; i < k; i++) {
        String old = network.ids().get(homeOf[c * k + i]);
        found |= !old.equals(dead) && during.contains(old);
      }
      lost += found ? 0 : 1;
    }
    long elsewhere = 0;
    long checked = 0;
    int step = Math.max(1, contents.length / Math.max(1, sample));
    for (int c = 0; c < contents.length; c += step) {
      List<String> before = homes.homes(ids[c], k);
      if (before.contains(dead)) {
        continue;
      }
      checked++;
      if (!before.equals(after.homes(ids[c], k))) {
        elsewhere++;
      }
    }
    java.util.Set<Integer> own = new java.util.HashSet<>();
    for (int n : network.sharesOf(victim)) {
      own.add(n);
    }
    batches = pairs.size();
    return new Death(
        victim, rehomed, batches, (long) own.size() * k, elsewhere, checked, duringMax, lost);
  }

  static Sha256 contentId(String name) {
    try {
      return Sha256.ofDigest(
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }
}
