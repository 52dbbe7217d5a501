package dev.swarmdex.engine.mesh;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.overlay.ResultMerge;
import dev.swarmdex.engine.routing.AffinityGroups;
import dev.swarmdex.engine.routing.DigestQuery;
import dev.swarmdex.engine.routing.Digests;
import dev.swarmdex.engine.routing.DynamicQuery;
import dev.swarmdex.engine.routing.GroupSearch;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FloodAnswer;
import dev.swarmdex.protocol.FloodQuery;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.Neighbour;
import dev.swarmdex.protocol.RouteAnswer;
import dev.swarmdex.protocol.RouteAsk;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import dev.swarmdex.protocol.SearchResult;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routed search at a server: {@link GroupSearch} with HTTP for its transport. Contacts are
 * asked {@code POST mesh/route}, candidates {@code POST mesh/query} with ttl 0 (their own catalog
 * only), each wave at once; the whole search keeps to the origin's budget, and a directory that is
 * late counts as failed. Also the contact's side: which members of a group may match.
 */
final class RoutedSearches {
  private static final Logger LOG = LoggerFactory.getLogger(RoutedSearches.class);

  private final Directory directory;
  private final ApiClient api;
  private final Function<URI, Credentials> credentials;
  private final ExecutorService pool;
  private final AtomicLong searches = new AtomicLong();
  private final AtomicLong messages = new AtomicLong();
  private volatile Membership membership;

  /** The groups of one membership, computed once for every search over it. */
  private record Membership(
      List<Neighbour> members, GroupSearch groups, Map<String, String> urls) {}

  RoutedSearches(
      Directory directory,
      ApiClient api,
      Function<URI, Credentials> credentials,
      ExecutorService pool) {
    this.directory = directory;
    this.api = api;
    this.credentials = credentials;
    this.pool = pool;
  }

  /** Routed searches started here. */
  long searches() {
    return searches.get();
  }

  /** Messages they sent: contacts and directories asked. */
  long messages() {
    return messages.get();
  }

  private Membership over(List<Neighbour> members) {
    Membership now = membership;
    if (now == null || now.members() != members) {
      Map<String, String> urls = new HashMap<>();
      members.forEach(m -> urls.put(m.id(), m.url()));
      now =
          new Membership(
              members, GroupSearch.over(members.stream().map(Neighbour::id).toList()), urls);
      membership = now;
    }
    return now;
  }

  /** What this directory answers a contact's question: its group's members that may match. */
  RouteAnswer answer(RouteAsk ask, List<Neighbour> members, Digests digests) {
    Membership now = over(members);
    List<String> group;
    if (ask.bits() == now.groups().bits()) {
      group = now.groups().group(ask.group());
    } else {
      group = new ArrayList<>();
      for (Neighbour m : members) {
        if (AffinityGroups.groupOf(m.id(), ask.bits()) == ask.group()) {
          group.add(m.id());
        }
      }
    }
    List<RouteAnswer.Member> out = new ArrayList<>();
    for (DynamicQuery.Candidate c :
        GroupSearch.mayMatch(group, digests, DigestQuery.of(ask.text()), RouteAnswer.MAX_MEMBERS)) {
      out.add(new RouteAnswer.Member(c.directory(), (long) c.expected()));
    }
    return new RouteAnswer(out);
  }

  /**
   * A user's search from {@code self} over {@code members}, within {@code budgetMillis}: one page,
   * grouped and ranked as a flood's, saying whether it stopped early.
   */
  SearchResponse search(
      SearchQuery query,
      String self,
      List<Neighbour> members,
      Digests digests,
      String queryId,
      int budgetMillis) {
    searches.incrementAndGet();
    int wanted = Math.min(Limits.MAX_PAGE_SIZE, query.offset() + query.limit());
    SearchQuery wide = query.withPage(wanted, 0);
    DigestQuery words = DigestQuery.of(query.text());
    Membership now = over(members);
    Run run = new Run(self, wide, queryId, System.nanoTime() + budgetMillis * 1_000_000L, now);
    GroupSearch.Outcome outcome =
        now.groups()
            .run(
                self,
                digests,
                words,
                DynamicQuery.Settings.forPage(wanted),
                queryId.hashCode(),
                run);
    List<SearchResult> merged = ResultMerge.merge(run.answers, wanted);
    List<SearchResult> page =
        merged.subList(Math.min(query.offset(), merged.size()), merged.size());
    int total = Math.max(run.ownTotal, merged.size());
    return new SearchResponse(
        page, total, query.offset(), Math.max(1, run.answered), outcome.query().stoppedEarly());
  }

  /** One search's transport: its deadline, and the answers gathered (this directory's first). */
  private final class Run implements GroupSearch.Transport {
    final String self;
    final SearchQuery wide;
    final String queryId;
    final long start = System.nanoTime();
    final long deadline;
    final Membership membership;
    final List<List<SearchResult>> answers = new ArrayList<>();
    int ownTotal;
    int answered;

    Run(String self, SearchQuery wide, String queryId, long deadline, Membership membership) {
      this.self = self;
      this.wide = wide;
      this.queryId = queryId;
      this.deadline = deadline;
      this.membership = membership;
      answers.add(null); // this directory's own answer, when it is asked
    }

    @Override
    public Map<String, List<DynamicQuery.Candidate>> route(
        Map<String, Integer> contacts, DigestQuery query, int bits) {
      Map<String, RouteAnswer> answers =
          gather(
              new ArrayList<>(contacts.keySet()),
              (there, left) ->
                  there
                      .client()
                      .route(
                          there.from(),
                          new RouteAsk(wide.text(), bits, contacts.get(there.id())),
                          left));
      Map<String, List<DynamicQuery.Candidate>> out = new HashMap<>();
      answers.forEach(
          (contact, answer) -> {
            List<DynamicQuery.Candidate> candidates = new ArrayList<>();
            answer
                .members()
                .forEach(
                    m -> candidates.add(new DynamicQuery.Candidate(m.id(), true, m.entries())));
            out.put(contact, candidates);
          });
      return out;
    }

    @Override
    public Map<String, Integer> ask(List<String> directories) {
      Map<String, Integer> counts = new HashMap<>();
      List<String> others = new ArrayList<>(directories);
      boolean own = others.remove(self);
      Map<String, List<SearchResult>> found = new HashMap<>();
      // Others are asked first, so that this directory's own search overlaps their answers. A round
      // waits for half the time left at most (a quarter of the budget at least), so that one
      // silent directory does not take the later rounds' time.
      long now = System.nanoTime();
      long round = Math.min(deadline, now + Math.max((deadline - start) / 4, (deadline - now) / 2));
      Map<String, CompletableFuture<FloodAnswer>> pending =
          send(
              others,
              (there, left) ->
                  there
                      .client()
                      .flood(
                          there.from(),
                          new FloodQuery(queryId, 0, 0, wide, (int) Math.max(1, left))),
              round);
      if (own) {
        SearchResponse local = directory.search(wide);
        ownTotal = local.total();
        answers.set(0, local.results());
        counts.put(self, local.results().size());
        answered++;
      }
      collect(pending, round).forEach((id, answer) -> found.put(id, answer.results()));
      found.forEach(
          (id, results) -> {
            answers.add(directory.rated(results));
            counts.put(id, results.size());
            answered++;
          });
      return counts;
    }

    /**
     * A wave of contacts: each waits a quarter of the budget at most, so that a silent contact
     * leaves time to ask the next one of its group and the group's members.
     */
    private <T> Map<String, T> gather(List<String> targets, Call<T> call) {
      long wave = Math.min(deadline, System.nanoTime() + (deadline - start) / 4);
      return collect(send(targets, call, wave), wave);
    }

    /** Sends {@code call} to every target at once (none once the deadline has passed). */
    private <T> Map<String, CompletableFuture<T>> send(
        List<String> targets, Call<T> call, long until) {
      Map<String, CompletableFuture<T>> pending = new LinkedHashMap<>();
      long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
      if (left <= 0) {
        return pending;
      }
      for (String target : targets) {
        String url = membership.urls().get(target);
        if (url == null) {
          continue;
        }
        messages.incrementAndGet();
        ApiClient there = api.at(URI.create(url));
        pending.put(
            target,
            CompletableFuture.supplyAsync(
                () -> call.send(new Named(there, target, credentials.apply(there.server())), left),
                pool));
      }
      return pending;
    }

    /** The answers that came by {@code until}; failed or late ones are left out. */
    private <T> Map<String, T> collect(Map<String, CompletableFuture<T>> pending, long until) {
      Map<String, T> out = new HashMap<>();
      for (Map.Entry<String, CompletableFuture<T>> e : pending.entrySet()) {
        long left = until - System.nanoTime();
        try {
          if (left > 0) {
            T answer = e.getValue().get(left, TimeUnit.NANOSECONDS);
            if (answer != null) {
              out.put(e.getKey(), answer);
            }
            continue;
          }
        } catch (TimeoutException | ExecutionException ex) {
          LOG.debug("directory {} did not answer a routed search: {}", e.getKey(), ex.toString());
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
        }
        e.getValue().cancel(true);
      }
      return out;
    }
  }

  /** A client to one directory, its id, and the credentials this directory calls it with. */
  private record Named(ApiClient client, String id, Credentials from) {}

  /** One ask of one directory; an {@link ApiException} counts as no answer. */
  @FunctionalInterface
  private interface Call<T> {
    T ask(Named there, long millis);

    default T send(Named there, long millis) {
      try {
        return ask(there, millis);
      } catch (ApiException e) {
        return null;
      }
    }
  }
}
