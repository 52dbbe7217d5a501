package dev.swarmdex.peer.serve;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's HTTP server: one Jetty connector on a chosen address and port (0 picks a free one)
 * running a {@link Handler}, usually a {@link FileHandler}. Errors Jetty raises itself are JSON
 * too.
 *
 * <pre>{@code
 * try (FileServer server = FileServer.start(InetAddress.getLoopbackAddress(), 0, handler)) {
 *   URI base = server.uri(); // http://127.0.0.1:PORT/
 * }
 * }</pre>
 */
public final class FileServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileServer.class);

  private final Server server;
  private final ServerConnector connector;
  private final InetAddress bind;

  private FileServer(Server server, ServerConnector connector, InetAddress bind) {
    this.server = server;
    this.connector = connector;
    this.bind = bind;
  }

  /** Starts a server on {@code bind}:{@code port} running {@code handler}. */
  public static FileServer start(InetAddress bind, int port, Handler handler) throws IOException {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("file-server");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(bind.getHostAddress());
    connector.setPort(port);
    connector.setIdleTimeout(30_000);
    server.addConnector(connector);
    server.setHandler(handler);
    server.setErrorHandler(new JsonErrorHandler());
    server.setStopTimeout(0);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IOException(
          "cannot listen on " + bind.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
    }
    FileServer started = new FileServer(server, connector, bind);
    LOG.info("file server listening on {}", started.uri());
    return started;
  }

  /** The port the server listens on. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The server's base address, {@code http://HOST:PORT/} (loopback when bound to any address). */
  public URI uri() {
    InetAddress host = bind.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bind;
    String text = host.getHostAddress();
    if (host instanceof Inet6Address) {
      text = "[" + text.replaceAll("%.*", "") + "]";
    }
    return URI.create("http://" + text + ":" + port() + "/");
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("cannot stop file server cleanly: {}", e.toString());
    }
  }
}
