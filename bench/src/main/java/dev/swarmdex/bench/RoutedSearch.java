package dev.swarmdex.bench;

import dev.swarmdex.engine.routing.AffinityGroups;
import dev.swarmdex.engine.routing.DigestQuery;
import dev.swarmdex.engine.routing.DynamicQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One search through the affinity groups, the transport replaced by counting: the origin tests its
 * own group's digests locally, asks one contact in each other group which of its members' digests
 * may match (a message each), then asks the matching directories in {@link DynamicQuery}'s order (a
 * message each but to itself) and tells it each one's real result count, until it stops.
 */
final class RoutedSearch {
  /**
   * What one search did.
   *
   * @param contactMessages questions to the other groups' contacts
   * @param directoryMessages questions to matching directories (the origin asks itself for free)
   * @param matching directories whose digest matched
   * @param holders directories holding a matching name (ground truth)
   * @param holdersMatched holders whose digest matched (the digest's recall)
   * @param holdersAsked holders asked before the search stopped
   * @param results results the asked directories gave
   * @param allResults results the whole network holds
   * @param stoppedEarly whether it stopped on a full page with matching directories left
   */
  record Outcome(
      int contactMessages,
      int directoryMessages,
      int matching,
      int holders,
      int holdersMatched,
      int holdersAsked,
      long results,
      long allResults,
      boolean stoppedEarly) {
    int messages() {
      return contactMessages + directoryMessages;
    }
  }

  private final RouteNetwork network;
  private final AffinityGroups groups;
  private final DynamicQuery.Settings settings;

  RoutedSearch(RouteNetwork network, AffinityGroups groups, DynamicQuery.Settings settings) {
    this.network = network;
    this.groups = groups;
    this.settings = settings;
  }

  /**
   * Searches {@code query} from {@code origin}; {@code results[d]} is what directory {@code d}
   * answers when asked (its shares the catalog matches).
   */
  Outcome search(int origin, DigestQuery query, int[] results, long seed) {
    int contacts = 0;
    List<DynamicQuery.Candidate> candidates = new ArrayList<>();
    int[] matched = new int[network.size()];
    int matching = 0;
    for (int g = 0; g < groups.count(); g++) {
      int[] members = groups.members(g);
      if (members.length == 0) {
        continue;
      }
      if (g != groups.groupOf(origin)) {
        contacts++;
      }
      // The contact (or the origin, for its own group) tests its group's digests.
      for (int m : members) {
        if (network.digest(m).mayMatch(query)) {
          matched[m] = 1;
          matching++;
          candidates.add(
              new DynamicQuery.Candidate(network.ids().get(m), true, network.digest(m).entries()));
        }
      }
    }
    Map<String, Integer> index = new HashMap<>(candidates.size() * 2);
    for (DynamicQuery.Candidate c : candidates) {
      index.put(c.directory(), Integer.parseInt(c.directory().substring(1)));
    }
    DynamicQuery plan = DynamicQuery.plan(candidates, settings, seed);
    int asked = 0;
    int holdersAsked = 0;
    for (List<String> round = plan.next(); !round.isEmpty(); round = plan.next()) {
      for (String id : round) {
        int d = index.get(id);
        if (d != origin) {
          asked++;
        }
        if (results[d] > 0) {
          holdersAsked++;
        }
        plan.answered(id, results[d]);
      }
    }
    int holders = 0;
    int holdersMatched = 0;
    long all = 0;
    for (int d = 0; d < results.length; d++) {
      if (results[d] > 0) {
        holders++;
        holdersMatched += matched[d];
        all += results[d];
      }
    }
    DynamicQuery.Outcome o = plan.outcome();
    return new Outcome(
        contacts,
        asked,
        matching,
        holders,
        holdersMatched,
        holdersAsked,
        o.results(),
        all,
        o.stoppedEarly());
  }
}
