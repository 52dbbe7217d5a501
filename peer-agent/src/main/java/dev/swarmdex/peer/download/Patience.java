package dev.swarmdex.peer.download;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * When a download asks its directory for sources again, and when it gives up. While some source
 * works it asks every {@value Downloader#RELOCATE_SECONDS} s. When none works (the last one died,
 * or every one failed) it asks at once, then again after pauses doubling from {@link #FIRST_PAUSE}
 * to {@link #MAX_PAUSE}, reviving sources the directory still lists, until it has had no working
 * source for its patience; then the download fails. A source that works again starts the patience
 * afresh. A pure policy on {@link System#nanoTime} values.
 */
final class Patience {
  static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  static final Duration MAX_PAUSE = Duration.ofSeconds(15);

  private final Duration patience;
  private long nextLook;
  private boolean idle;
  private long idleSince;
  private int looks;

  /** A download starting at {@code now} that waits up to {@code patience} for a working source. */
  Patience(Duration patience, long now) {
    this.patience = patience;
    this.nextLook = now + TimeUnit.SECONDS.toNanos(Downloader.RELOCATE_SECONDS);
  }

  Duration patience() {
    return patience;
  }

  /** How long from {@code now} until the next look for sources (0 or less: now). */
  long untilNextLook(long now) {
    return nextLook - now;
  }

  /** Some source works: the patience starts afresh when none does again. */
  void working() {
    idle = false;
    looks = 0;
  }

  /** No source works at {@code now}: whether to keep looking (else the download fails). */
  boolean keepTrying(long now) {
    if (!idle) {
      idle = true;
      idleSince = now;
      nextLook = now; // look at once
      return true;
    }
    return looks == 0 || now - idleSince < patience.toNanos();
  }

  /** The directory was asked at {@code now}. */
  void looked(long now) {
    if (!idle) {
      nextLook = now + TimeUnit.SECONDS.toNanos(Downloader.RELOCATE_SECONDS);
      return;
    }
    long pause = Math.min(FIRST_PAUSE.toNanos() << Math.min(looks, 10), MAX_PAUSE.toNanos());
    looks++;
    long left = idleSince + patience.toNanos() - now;
    nextLook = now + Math.max(0, Math.min(pause, left));
  }
}
