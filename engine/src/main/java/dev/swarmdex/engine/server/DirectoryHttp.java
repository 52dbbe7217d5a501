package dev.swarmdex.engine.server;

import dev.swarmdex.engine.api.JsonErrorHandler;
import dev.swarmdex.engine.http.Router;
import dev.swarmdex.engine.metrics.HttpTiming;
import dev.swarmdex.engine.metrics.MetricsAccess;
import dev.swarmdex.engine.metrics.MetricsEndpoint;
import dev.swarmdex.engine.metrics.ServerMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server a directory (the index server, a supernode) answers on: one connector (HTTPS when
 * it has a TLS identity), {@code GET /metrics} before the program's own handlers, every request
 * timed ({@link HttpTiming}) and Jetty's own errors as JSON.
 *
 * <pre>{@code
 * try (DirectoryHttp http = DirectoryHttp.create("index-http", "127.0.0.1", 0, null, api,
 *     MetricsAccess.loopbackOnly(), api::runsInline).start()) { int port = http.port(); }
 * }</pre>
 */
public final class DirectoryHttp implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final ServerMetrics metrics;

  private DirectoryHttp(Server server, ServerConnector connector, ServerMetrics metrics) {
    this.server = server;
    this.connector = connector;
    this.metrics = metrics;
  }

  /**
   * A server not yet started.
   *
   * @param threads the name of its request threads
   * @param tls its key and certificate; null serves plain HTTP
   * @param inline the requests it answers on the thread that read them ({@link InlineOrPooled}):
   *     they must never block
   */
  public static DirectoryHttp create(
      String threads,
      String host,
      int port,
      TlsIdentity tls,
      Handler app,
      MetricsAccess access,
      Predicate<Request> inline) {
    ServerMetrics metrics = ServerMetrics.create();
    QueuedThreadPool pool = new QueuedThreadPool(200, 8);
    pool.setName(threads);
    Server server = new Server(pool);
    // A selector a core: each answers its connections' inline requests itself (Jetty's default on
    // 2 cores is one, which would leave the other core to the pool's requests only).
    int selectors = Runtime.getRuntime().availableProcessors();
    ServerConnector connector =
        tls == null ? new ServerConnector(server, -1, selectors) : tls.connector(server, selectors);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(
        new InlineOrPooled(
            new HttpTiming(
                metrics.registry(),
                new Handler.Sequence(new MetricsEndpoint(metrics, access), app)),
            inline,
            pool));
    server.setErrorHandler(new JsonErrorHandler());
    return new DirectoryHttp(server, connector, metrics);
  }

  /**
   * Every route a directory's server answers: {@code app}'s (the routes of the handlers it was
   * created with) and {@code GET /metrics}, answered before them.
   */
  public static List<Router.Route> routes(List<Router.Route> app) {
    List<Router.Route> all = new ArrayList<>(app);
    all.add(new Router.Route("GET", MetricsEndpoint.PATH));
    return List.copyOf(all);
  }

  /** Starts listening; {@link #close} stops it (also after a failed start). */
  public DirectoryHttp start() throws Exception {
    server.start();
    return this;
  }

  /** Its meters: the JVM's and its requests'; the program binds its own. */
  public ServerMetrics metrics() {
    return metrics;
  }

  /** The port it listens on. */
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } finally {
      metrics.close();
    }
  }
}
