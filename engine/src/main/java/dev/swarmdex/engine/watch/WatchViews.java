package dev.swarmdex.engine.watch;

import dev.swarmdex.engine.routing.RendezvousHomes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The memberships a directory's saved searches go by: its view of the live directories now, and the
 * views it held in the last {@value #GRACE_BEATS} mesh heartbeats (at most {@value #MAX_PAST} of
 * them). Views of different directories differ while a change spreads, and a supernode's own probes
 * take a slow member out for a moment under load; so a search is registered, and a new file sent,
 * at the homes over every one of these views (the current ones first), and a directory that was a
 * member in one of them may still call. Bounded: at most {@code k * (1 + MAX_PAST)} homes a word,
 * and a former member is heard for {@value #GRACE_BEATS} heartbeats, no longer. Immutable snapshots
 * ({@link View}); the holder swaps them.
 *
 * <pre>{@code
 * WatchViews.View view = WatchViews.View.first("s1", urls, 1000);
 * view = view.next("s1", fewerUrls, 1000, clock.millis()); // s9 out: still heard for 5 beats
 * List<String> homes = view.homes(key, 2, clock.millis()); // over now, then the views before
 * }</pre>
 */
final class WatchViews {
  /** Heartbeats a former view still counts for homes and members. */
  static final int GRACE_BEATS = 5;

  /** Former views kept at most. */
  static final int MAX_PAST = 4;

  private WatchViews() {}

  /** One former membership, counted until {@code until} (epoch millis). */
  record Past(Map<String, String> urls, RendezvousHomes homes, long until) {}

  /**
   * The live directories now ({@code self} among them, by id to URL), the homes over them, the mesh
   * heartbeat, and the former views still in grace (newest first).
   */
  record View(
      String self,
      Map<String, String> urls,
      RendezvousHomes homes,
      long heartbeat,
      List<Past> past) {

    /** The first view this directory has. */
    static View first(String self, Map<String, String> urls, long heartbeat) {
      return new View(
          self, Map.copyOf(urls), RendezvousHomes.of(urls.keySet()), heartbeat, List.of());
    }

    /** Whether {@code urls} holds other directories than this view (a change of membership). */
    boolean differs(String self, Map<String, String> urls) {
      return !this.self.equals(self) || !this.urls.keySet().equals(urls.keySet());
    }

    /**
     * The view after this one: when the members changed, this one joins the former views, in grace
     * for {@value #GRACE_BEATS} heartbeats from {@code now}.
     */
    View next(String self, Map<String, String> urls, long heartbeat, long now) {
      if (!differs(self, urls)) {
        return new View(self, Map.copyOf(urls), homes, heartbeat, live(now));
      }
      List<Past> kept = new ArrayList<>();
      kept.add(new Past(this.urls, homes, now + GRACE_BEATS * heartbeat));
      for (Past p : live(now)) {
        if (kept.size() < MAX_PAST) {
          kept.add(p);
        }
      }
      return new View(
          self, Map.copyOf(urls), RendezvousHomes.of(urls.keySet()), heartbeat, List.copyOf(kept));
    }

    /** The former views still in grace at {@code now}. */
    List<Past> live(long now) {
      return past.stream().filter(p -> p.until > now).toList();
    }

    /** Whether {@code id} is a member now or was one in a view still in grace. */
    boolean member(String id, long now) {
      return urls.containsKey(id) || live(now).stream().anyMatch(p -> p.urls.containsKey(id));
    }

    /** Where {@code id} answers: its URL now, else in the newest view in grace that has it. */
    String url(String id, long now) {
      String url = urls.get(id);
      if (url != null) {
        return url;
      }
      for (Past p : live(now)) {
        if (p.urls.containsKey(id)) {
          return p.urls.get(id);
        }
      }
      return null;
    }

    /**
     * The {@code k} homes of {@code key} now, then those over the views in grace not among them.
     */
    List<String> homes(long key, int k, long now) {
      Set<String> out = new LinkedHashSet<>(homes.homes(key, k));
      for (Past p : live(now)) {
        out.addAll(p.homes.homes(key, k));
      }
      return List.copyOf(out);
    }
  }
}
