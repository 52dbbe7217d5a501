package dev.swarmdex.bench;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times how long after its publish answered a sampled entry is found by a search for its word. A
 * sample is searched for at once, from a small pool of its own, and then every {@link
 * #INTERVAL_NANOS} until found: the publishing threads never wait for it, and a publish that
 * answers before its entries are searchable ({@code --publish-wait accepted}) costs the server one
 * search per pending sample and interval, not one a millisecond.
 */
final class VisibilityProbe implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VisibilityProbe.class);

  /**
   * Pause between searches for a sample not found yet; the figures are this coarse then. Every
   * search costs the server and the bench CPU within the timed publish: at 10 ms, with samples
   * found about 0.3 s after their answer, the 200 samples made about 5,000 searches in a 1.5 s
   * publish of 100k entries.
   */
  static final long INTERVAL_NANOS = 50_000_000L;

  /** Threads searching, so that samples answered together are searched for together. */
  static final int THREADS = 4;

  /** What the probe measured once every sample was found or given up. */
  record Figures(long[] visibleNanos, int foundFirstTry, int notFound) {}

  private final ApiClient api;
  private final long timeoutNanos;
  private final ScheduledExecutorService pool;
  private final Phaser pending = new Phaser(1);
  private final List<Long> visible = new ArrayList<>();
  private int foundFirstTry;
  private int notFound;

  /** Starts probing through {@code api}; a sample not found within {@code timeoutNanos} is lost. */
  VisibilityProbe(ApiClient api, long timeoutNanos) {
    this.api = api;
    this.timeoutNanos = timeoutNanos;
    this.pool =
        Executors.newScheduledThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "visibility-probe");
              t.setDaemon(true);
              return t;
            });
  }

  /** Looks for {@code sample}, whose publish answered at {@code answered} (nanoTime). */
  void watch(PublishPlan.Sample sample, long answered) {
    pending.register();
    try {
      pool.execute(new Search(sample, answered));
    } catch (RejectedExecutionException e) {
      pending.arriveAndDeregister();
      throw e;
    }
  }

  /**
   * Waits until every sample watched so far is found or given up (at most the timeout and a minute
   * more: a sample whose searches broke off counts as not found); returns the figures.
   */
  Figures finish() throws InterruptedException {
    try {
      pending.awaitAdvanceInterruptibly(
          pending.arriveAndDeregister(), timeoutNanos + 60_000_000_000L, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      log.warn("{} samples still unsettled; counted as not found", pending.getUnarrivedParties());
      synchronized (visible) {
        notFound += pending.getUnarrivedParties();
      }
    }
    pool.shutdownNow();
    synchronized (visible) {
      return new Figures(
          visible.stream().mapToLong(Long::longValue).toArray(), foundFirstTry, notFound);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** The searches for one sample: one now, then one every interval until settled. */
  private final class Search implements Runnable {
    private final PublishPlan.Sample sample;
    private final long answered;
    private final SearchQuery query;
    private int searches;

    Search(PublishPlan.Sample sample, long answered) {
      this.sample = sample;
      this.answered = answered;
      // A trailing space ends the word, so it is matched exactly, not as a prefix.
      this.query = SearchQuery.of(sample.word() + " ").withPage(Limits.MAX_PAGE_SIZE, 0);
    }

    @Override
    public void run() {
      boolean settled = true;
      try {
        settled = searchOnce();
      } catch (RuntimeException | Error e) {
        log.warn("Probe for '{}' failed: {}", sample.word(), e.toString());
        synchronized (visible) {
          notFound++;
        }
      } finally {
        if (settled) {
          pending.arriveAndDeregister();
        } else {
          again();
        }
      }
    }

    /** Searches again after the interval; a sample the pool refuses counts as not found. */
    private void again() {
      try {
        pool.schedule(this, INTERVAL_NANOS, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        synchronized (visible) {
          notFound++;
        }
        pending.arriveAndDeregister();
      }
    }

    /** One search for the sample; true when it is found or given up. */
    private boolean searchOnce() {
      searches++;
      List<SearchResult> results;
      try {
        results = api.search(query).results();
      } catch (RuntimeException e) { // an ApiException or a broken connection: tried again
        log.warn("Search for '{}' failed: {}", sample.word(), e.getMessage());
        results = List.of();
      }
      long now = System.nanoTime();
      for (SearchResult result : results) {
        if (result.sha256().equals(sample.entry().sha256())) {
          synchronized (visible) {
            visible.add(now - answered);
            if (searches == 1) {
              foundFirstTry++;
            }
          }
          return true;
        }
      }
      if (now - answered > timeoutNanos) {
        log.warn(
            "{} not found by '{}' after {} searches",
            sample.entry().name(),
            sample.word(),
            searches);
        synchronized (visible) {
          notFound++;
        }
        return true;
      }
      return false;
    }
  }
}
