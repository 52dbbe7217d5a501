package dev.swarmdex.engine.watch;

import dev.swarmdex.engine.routing.RendezvousHomes;
import dev.swarmdex.protocol.HeldWatch;
import dev.swarmdex.protocol.WatchRegistration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the searches held at this directory at their rendezvous, every mesh heartbeat and soon
 * after a save or a change of membership: at the homes over the current view and over the views
 * still in grace ({@link WatchViews}), so a search is held where a directory whose view lags still
 * sends. Each home gets its calls on a small pool, one registration in flight per home at a time: a
 * rendezvous slow to answer holds one thread, and delays (and lets lapse) no other's registration.
 */
final class WatchRegistrar implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchRegistrar.class);
  private static final int THREADS = 4;

  private final Clock clock;
  private final Supplier<WatchViews.View> view;
  private final Supplier<List<HeldWatch>> live;
  private final Consumer<WatchRegistration> own;
  private final BiConsumer<String, WatchRegistration> send;
  private final ScheduledExecutorService timer;
  private final ThreadPoolExecutor sending;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean pending = new AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicInteger retries =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Calls waiting a heartbeat to be sent again, at most ({@link #retryLater}). */
  static final int MAX_RETRIES = 256;

  private final AtomicBoolean started = new AtomicBoolean();

  /**
   * @param own registers a part at this directory itself
   * @param send registers a part at another directory (blocking; failures are its to log)
   */
  WatchRegistrar(
      Clock clock,
      Supplier<WatchViews.View> view,
      Supplier<List<HeldWatch>> live,
      Consumer<WatchRegistration> own,
      BiConsumer<String, WatchRegistration> send) {
    this.clock = clock;
    this.view = view;
    this.live = live;
    this.own = own;
    this.send = send;
    this.timer = Executors.newSingleThreadScheduledExecutor(WatchPools.daemon("watch-registrar"));
    this.sending =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1024),
            WatchPools.daemon("watch-registering"));
  }

  /** Registers every heartbeat of {@code beatMillis} from now on (once; later calls do nothing). */
  void start(long beatMillis) {
    if (started.compareAndSet(false, true)) {
      timer.scheduleWithFixedDelay(this::refresh, beatMillis, beatMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** Registers within 100 ms (a search was saved, or the membership changed). */
  void soon() {
    if (pending.compareAndSet(false, true)) {
      timer.schedule(this::refresh, 100, TimeUnit.MILLISECONDS);
    }
  }

  /** Runs {@code task} (quick: it hands work to a pool) in {@code millis} on this timer. */
  void later(Runnable task, long millis) {
    try {
      timer.schedule(task, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  /**
   * Runs {@code task} (a call sent again) in {@code millis}, unless {@value #MAX_RETRIES} are
   * waiting already: a member failing every call must not make this directory hold a heartbeat's
   * worth of every publish in memory. False when dropped.
   */
  boolean retryLater(Runnable task, long millis) {
    if (retries.incrementAndGet() > MAX_RETRIES) {
      retries.decrementAndGet();
      return false;
    }
    later(
        () -> {
          retries.decrementAndGet();
          task.run();
        },
        millis);
    return true;
  }

  /** Registers every search held here at its rendezvous over the views in force. */
  void refresh() {
    pending.set(false);
    WatchViews.View now = view.get();
    if (now == null) {
      return;
    }
    try {
      long at = clock.millis();
      Map<String, List<HeldWatch>> byHome = new LinkedHashMap<>();
      for (HeldWatch watch : live.get()) {
        long key = RendezvousHomes.wordKey(watch.word());
        for (String home : now.homes(key, Watches.K, at)) {
          byHome.computeIfAbsent(home, h -> new ArrayList<>()).add(watch);
        }
      }
      byHome.forEach((home, list) -> register(now, home, parts(list)));
    } catch (RuntimeException e) {
      LOG.warn("saved searches could not be registered", e);
    }
  }

  private void register(WatchViews.View now, String home, List<WatchRegistration> parts) {
    if (home.equals(now.self())) {
      parts.forEach(own);
      return;
    }
    if (!inFlight.add(home)) {
      return; // the last registration there has not answered yet
    }
    try {
      sending.execute(
          () -> {
            try {
              parts.forEach(part -> send.accept(home, part));
            } finally {
              inFlight.remove(home);
            }
          });
    } catch (RejectedExecutionException e) {
      inFlight.remove(home);
    }
  }

  private static List<WatchRegistration> parts(List<HeldWatch> list) {
    List<WatchRegistration> parts = new ArrayList<>();
    for (int i = 0; i < list.size(); i += WatchRegistration.MAX_WATCHES) {
      parts.add(
          new WatchRegistration(
              list.subList(i, Math.min(list.size(), i + WatchRegistration.MAX_WATCHES))));
    }
    return parts;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    sending.shutdownNow();
  }
}
