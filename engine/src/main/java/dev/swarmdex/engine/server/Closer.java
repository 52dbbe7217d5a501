package dev.swarmdex.engine.server;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts an app has opened, closed in reverse order: what was opened last (the HTTP server)
 * stops first, what everything else uses (the database) last. A part that fails to close is logged
 * and the rest still close.
 *
 * <pre>{@code
 * Closer opened = new Closer("index server");
 * Database db = opened.add(Database.open(url));
 * opened.add(http::stop);
 * opened.close();
 * }</pre>
 */
public final class Closer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Closer.class);

  private final String app;
  private final Deque<AutoCloseable> parts = new ArrayDeque<>();

  public Closer(String app) {
    this.app = app;
  }

  /** Remembers {@code part} to close; returns it. */
  public synchronized <T extends AutoCloseable> T add(T part) {
    parts.push(part);
    return part;
  }

  @Override
  public synchronized void close() {
    while (!parts.isEmpty()) {
      try {
        parts.pop().close();
      } catch (Exception e) {
        LOG.warn("stopping a part of the {} failed", app, e);
      }
    }
  }
}
