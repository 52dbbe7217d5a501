package dev.swarmdex.index;

import dev.swarmdex.index.api.ApiHandler;
import dev.swarmdex.index.api.JsonErrorHandler;
import dev.swarmdex.index.catalog.Catalog;
import dev.swarmdex.index.directory.Directory;
import dev.swarmdex.index.directory.PortProbe;
import dev.swarmdex.index.store.Database;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running index server: database, catalog, directory and HTTP server, started together and closed
 * together.
 *
 * <pre>{@code
 * try (IndexServer server = IndexServer.start(Config.defaults().withAddress("127.0.0.1", 0))) {
 *   URI api = server.uri();
 * }
 * }</pre>
 */
public final class IndexServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IndexServer.class);

  /** Joins probing a peer's port at once; each holds a request thread for up to the timeout. */
  private static final int PROBES_AT_ONCE = 32;

  /** Peers online at once, in all. */
  private static final int MAX_PEERS = 1_000_000;

  private final Database database;
  private final Catalog catalog;
  private final ScheduledExecutorService sweeper;
  private final Server http;
  private final URI uri;

  private IndexServer(
      Database database, Catalog catalog, ScheduledExecutorService sweeper, Server http, URI uri) {
    this.database = database;
    this.catalog = catalog;
    this.sweeper = sweeper;
    this.http = http;
    this.uri = uri;
  }

  /** Opens the stores and starts serving; everything opened is closed again if a step fails. */
  public static IndexServer start(Config config) throws IOException {
    Files.createDirectories(config.dataDir());
    String dbUrl =
        config.dbUrl() != null
            ? config.dbUrl()
            : Database.h2FileUrl(config.dataDir().resolve("db"));
    Database database = Database.open(dbUrl);
    Catalog catalog = null;
    ScheduledExecutorService sweeper = null;
    Server http = null;
    try {
      catalog = Catalog.open(config.dataDir().resolve("catalog"));
      Directory directory =
          new Directory(
              catalog,
              database.peers(),
              PortProbe.tcp(config.probeTimeout(), PROBES_AT_ONCE),
              Clock.systemUTC(),
              new Directory.Settings(
                  config.heartbeat(), config.timeout(), config.maxPeersPerIp(), MAX_PEERS));
      sweeper =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "session-sweeper");
                thread.setDaemon(true);
                return thread;
              });
      long period = Math.max(200, Math.min(5_000, config.timeout().toMillis() / 3));
      sweeper.scheduleWithFixedDelay(() -> sweep(directory), period, period, TimeUnit.MILLISECONDS);

      QueuedThreadPool threads = new QueuedThreadPool(200, 8);
      threads.setName("index-http");
      http = new Server(threads);
      ServerConnector connector = new ServerConnector(http);
      connector.setHost(config.bind());
      connector.setPort(config.port());
      http.addConnector(connector);
      http.setHandler(new ApiHandler(directory, config.rateLimit()));
      http.setErrorHandler(new JsonErrorHandler());
      http.start();
      URI uri = URI.create("http://" + hostForUri(config.bind()) + ":" + connector.getLocalPort());
      LOG.info("index server listening on {} (data in {})", uri, config.dataDir().toAbsolutePath());
      return new IndexServer(database, catalog, sweeper, http, uri);
    } catch (Exception e) {
      closeQuietly(http, sweeper, catalog, database);
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException("cannot start the index server: " + e.getMessage(), e);
    }
  }

  /** The base address of the API, for example {@code http://127.0.0.1:8080}. */
  public URI uri() {
    return uri;
  }

  /** The port the server listens on. */
  public int port() {
    return uri.getPort();
  }

  @Override
  public void close() {
    closeQuietly(http, sweeper, catalog, database);
    LOG.info("index server on {} stopped", uri);
  }

  private static void sweep(Directory directory) {
    try {
      directory.expireSilentPeers();
    } catch (RuntimeException e) {
      LOG.warn("expiring silent peers failed; will try again", e);
    }
  }

  private static String hostForUri(String bind) {
    if (bind.equals("0.0.0.0")) {
      return "127.0.0.1";
    }
    return bind.indexOf(':') >= 0 ? "[" + bind + "]" : bind;
  }

  private static void closeQuietly(
      Server http, ScheduledExecutorService sweeper, Catalog catalog, Database database) {
    if (http != null) {
      try {
        http.stop();
      } catch (Exception e) {
        LOG.warn("stopping HTTP server failed", e);
      }
    }
    if (sweeper != null) {
      sweeper.shutdownNow();
      try {
        sweeper.awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (catalog != null) {
      catalog.close();
    }
    database.close();
  }
}
