package dev.swarmdex.bench;

import dev.swarmdex.engine.routing.AffinityGroups;
import dev.swarmdex.engine.routing.DigestQuery;
import dev.swarmdex.engine.routing.Digests;
import dev.swarmdex.engine.routing.DynamicQuery;
import dev.swarmdex.engine.routing.GroupSearch;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One search through the affinity groups by the servers' own {@link GroupSearch}, the transport
 * replaced by counting: the origin tests its own group's digests locally, asks one contact in each
 * other group which of its members' digests may match (a message each), then asks the matching
 * directories in {@link DynamicQuery}'s order (a message each but to itself) and tells it each
 * one's real result count, until it stops.
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
  private final GroupSearch groups;
  private final DynamicQuery.Settings settings;
  private final Map<String, Integer> index;
  private final Digests digests;

  RoutedSearch(RouteNetwork network, AffinityGroups groups, DynamicQuery.Settings settings) {
    this.network = network;
    this.groups = GroupSearch.over(network.ids(), groups.bits());
    this.settings = settings;
    this.index = new HashMap<>(network.size() * 2);
    for (int d = 0; d < network.size(); d++) {
      index.put(network.ids().get(d), d);
    }
    this.digests = id -> network.digest(index.get(id));
  }

  /**
   * Searches {@code query} from {@code origin} with the servers' {@link GroupSearch}, the transport
   * replaced by counting; {@code results[d]} is what directory {@code d} answers when asked (its
   * shares the catalog matches).
   */
  Outcome search(int origin, DigestQuery query, int[] results, long seed) {
    Set<String> asked = new HashSet<>();
    GroupSearch.Transport counting =
        new GroupSearch.Transport() {
          @Override
          public Map<String, List<DynamicQuery.Candidate>> route(
              Map<String, Integer> contacts, DigestQuery q, int bits) {
            Map<String, List<DynamicQuery.Candidate>> answers = new HashMap<>();
            // Each contact tests its group's digests, as a server's mesh/route does.
            contacts.forEach(
                (contact, group) ->
                    answers.put(
                        contact,
                        GroupSearch.mayMatch(groups.group(group), digests, q, Integer.MAX_VALUE)));
            return answers;
          }

          @Override
          public Map<String, Integer> ask(List<String> directories) {
            Map<String, Integer> counts = new HashMap<>();
            directories.forEach(id -> counts.put(id, results[index.get(id)]));
            asked.addAll(directories);
            return counts;
          }
        };
    GroupSearch.Outcome o =
        groups.run(network.ids().get(origin), digests, query, settings, seed, counting);
    int[] matched = new int[network.size()];
    for (DynamicQuery.Candidate c : o.candidates()) {
      matched[index.get(c.directory())] = 1;
    }
    int holders = 0;
    int holdersMatched = 0;
    int holdersAsked = 0;
    long all = 0;
    for (int d = 0; d < results.length; d++) {
      if (results[d] > 0) {
        holders++;
        holdersMatched += matched[d];
        holdersAsked += asked.contains(network.ids().get(d)) ? 1 : 0;
        all += results[d];
      }
    }
    return new Outcome(
        o.contacts(),
        o.asked(),
        o.candidates().size(),
        holders,
        holdersMatched,
        holdersAsked,
        o.query().results(),
        all,
        o.query().stoppedEarly());
  }
}
