package dev.swarmdex.bench;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Source;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code churn}: how true search results stay while peers die without leaving. {@link ChurnAgents}
 * runs {@code agents} real agent processes against a running directory; every {@code killEvery} one
 * of them, chosen at random, is killed with SIGKILL and its slot starts a new agent (a new identity
 * and file). Meanwhile one search every {@code searchEvery} asks for every agent's file at once and
 * counts, per (file, source) pair answered, a <em>stale</em> one when its source was killed before
 * the search started, and, per agent joined before the search started and alive until it ended, a
 * <em>missing</em> one when its file did not come back with it as a source.
 */
final class ChurnRun {
  /** What to run. */
  record Config(
      URI server,
      int agents,
      Duration duration,
      Duration killEvery,
      Duration searchEvery,
      String classpath,
      List<String> agentJvm,
      Path work,
      long seed) {}

  /** What it counted; the fractions are of the pairs answered and of the files expected. */
  record Figures(
      int agents,
      long seconds,
      int kills,
      int starts,
      long searches,
      long pairs,
      long stale,
      long unknown,
      long expected,
      long missing,
      long worstStaleMillis,
      String loadBefore,
      String loadAfter) {
    double staleFraction() {
      return pairs == 0 ? 0 : (double) stale / pairs;
    }

    double missingFraction() {
      return expected == 0 ? 0 : (double) missing / expected;
    }

    String text() {
      return String.format(
          Locale.ROOT,
          "churn: %d agents for %d s, %d killed (SIGKILL) and %d started; %d searches%n"
              + "stale: %d of %d (file, source) pairs named a source killed before the search"
              + " (%.3f%%); longest a killed source stayed listed: %d ms%n"
              + "missing: %d of %d files of live joined agents not found (%.3f%%)%n"
              + "pairs from agents not yet known (not counted either way): %d%n"
              + "load average before: %s; after: %s%n",
          agents,
          seconds,
          kills,
          starts,
          searches,
          stale,
          pairs,
          100 * staleFraction(),
          worstStaleMillis,
          missing,
          expected,
          100 * missingFraction(),
          unknown,
          loadBefore,
          loadAfter);
    }
  }

  private final Config config;
  private long searches;
  private long pairs;
  private long stale;
  private long unknown;
  private long expected;
  private long missing;
  private long worstStale;

  ChurnRun(Config config) {
    this.config = config;
  }

  Figures run() throws IOException, InterruptedException {
    String loadBefore = loadAverage();
    int kills = 0;
    try (ChurnAgents agents =
            new ChurnAgents(
                config.server(),
                config.work(),
                config.classpath(),
                config.agentJvm(),
                config.agents(),
                config.seed());
        ApiClient api = ApiClient.create(config.server(), null)) {
      for (int slot = 0; slot < config.agents(); slot++) {
        agents.start(slot);
      }
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (agents.joined() < config.agents() && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      AtomicBoolean sampling = new AtomicBoolean(true);
      Thread sampler = new Thread(() -> sample(api, agents, sampling), "churn-sampler");
      sampler.start();
      long started = System.nanoTime();
      long end = started + config.duration().toNanos();
      while (System.nanoTime() + config.killEvery().toNanos() <= end) {
        Thread.sleep(config.killEvery().toMillis());
        ChurnAgents.Agent victim = agents.victim();
        if (victim != null) {
          agents.kill(victim);
          kills++;
          agents.start(victim.slot);
        }
      }
      Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
      sampling.set(false);
      sampler.join();
      synchronized (this) {
        return new Figures(
            config.agents(),
            Duration.ofNanos(System.nanoTime() - started).toSeconds(),
            kills,
            agents.all().size(),
            searches,
            pairs,
            stale,
            unknown,
            expected,
            missing,
            worstStale / 1_000_000,
            loadBefore,
            loadAverage());
      }
    }
  }

  private void sample(ApiClient api, ChurnAgents agents, AtomicBoolean sampling) {
    SearchQuery query =
        new SearchQuery(ChurnAgents.WORD, null, null, null, Limits.MAX_PAGE_SIZE, 0);
    while (sampling.get()) {
      long asked = System.nanoTime();
      SearchResponse answer;
      try {
        answer = api.search(query);
      } catch (RuntimeException e) {
        System.err.println("churn: a search failed: " + e.getMessage());
        sleep(config.searchEvery());
        continue;
      }
      long answered = System.nanoTime();
      count(agents, answer.results(), asked, answered);
      sleep(config.searchEvery());
    }
  }

  private synchronized void count(
      ChurnAgents agents, List<SearchResult> results, long asked, long answered) {
    searches++;
    Set<String> listed = new HashSet<>();
    for (SearchResult result : results) {
      for (Source source : result.sources()) {
        pairs++;
        listed.add(source.peer());
        ChurnAgents.Agent agent = agents.byPeer(source.peer());
        if (agent == null) {
          unknown++;
        } else if (!agent.aliveUntil(asked)) {
          stale++;
          worstStale = Math.max(worstStale, asked - agent.killedAt);
        }
      }
    }
    for (ChurnAgents.Agent agent : agents.all()) {
      if (agent.peerId != null && agent.joinedBefore(asked) && agent.aliveUntil(answered)) {
        expected++;
        if (!listed.contains(agent.peerId)) {
          missing++;
        }
      }
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The 1, 5 and 15 minute load averages, from /proc/loadavg ("?" elsewhere). */
  static String loadAverage() {
    try {
      String[] parts =
          Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
