package dev.swarmdex.bench;

import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.SearchQuery;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection to a directory's search API, for one of the benchmark's search
 * client threads: a blocking socket with {@code TCP_NODELAY} that sends the very request {@code
 * ApiClient.search} sends ({@code GET /api/v1/search?} and {@link SearchQuery#toQueryString()}),
 * reads the answer whole and tells whether it held results by its first bytes, without decoding the
 * JSON. Load generators such as wrk and h2load do not decode bodies either: on a 2-core machine
 * shared with the server, Jetty's client and Jackson took the bench about 0.5 ms of CPU a search,
 * this client less than 0.1 (BENCHMARKS.md), leaving that CPU to the server it measures.
 *
 * <p>An answer other than 200 is an {@link ApiException} with its status and the start of its body,
 * as is a connection that fails (status 0). When the server closes the connection ({@code
 * Connection: close}, or after a failure) the next search opens a new one; when it closed a reused
 * connection before answering, the search is sent once more on a new one. Not thread-safe: one per
 * client thread.
 *
 * <pre>{@code
 * try (LeanSearchClient client = LeanSearchClient.connect(URI.create("http://127.0.0.1:8080"))) {
 *   boolean found = client.search(SearchQuery.of("debian iso"));
 * }
 * }</pre>
 */
final class LeanSearchClient implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int READ_TIMEOUT_MILLIS = 30_000;

  /** How every search answer starts ({@code ResultSerializers} writes the results first)... */
  private static final byte[] ANSWER = ascii("{\"results\":[");

  /** ...and how one with at least one result does. */
  private static final byte[] FOUND = ascii("{\"results\":[{");

  private final URI server;
  private final InetSocketAddress address;
  private final String requestStart;
  private final String requestEnd;
  private Socket socket;
  private OutputStream out;
  private LeanResponseReader answers;

  private LeanSearchClient(URI server) {
    if (!"http".equals(server.getScheme()) || server.getHost() == null) {
      throw new IllegalArgumentException("the lean search client needs an http:// URL: " + server);
    }
    this.server = server;
    int port = server.getPort() < 0 ? 80 : server.getPort();
    this.address = new InetSocketAddress(server.getHost(), port);
    String path = server.getRawPath() == null ? "" : server.getRawPath();
    // As ApiClient: the server's URL without a trailing slash, then the API's path.
    this.requestStart =
        "GET "
            + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path)
            + "/api/v1/search?";
    this.requestEnd =
        " HTTP/1.1\r\nHost: "
            + server.getHost()
            + ":"
            + port
            + "\r\nAccept: application/json\r\n\r\n";
  }

  /** A client of {@code server} (an {@code http://} URL), its connection already open. */
  static LeanSearchClient connect(URI server) {
    LeanSearchClient client = new LeanSearchClient(server);
    try {
      client.open();
    } catch (IOException e) {
      client.close();
      throw new ApiException("cannot connect to " + server + ": " + e.getMessage(), e);
    }
    return client;
  }

  /** Searches; true when the answer held at least one result. */
  boolean search(SearchQuery query) {
    byte[] request =
        (requestStart + query.toQueryString() + requestEnd).getBytes(StandardCharsets.US_ASCII);
    try {
      if (socket != null && !answered(request)) {
        close(); // the server closed this connection while it was idle: once more on a new one
      }
      if (socket == null) {
        open();
        out.write(request);
        if (!answers.next()) {
          throw new EOFException("the server closed the connection without answering");
        }
      }
    } catch (IOException e) {
      close();
      throw new ApiException("search at " + server + " failed: " + e.getMessage(), e);
    }
    if (!answers.keepAlive()) {
      close();
    }
    int status = answers.status();
    if (status != 200) {
      throw new ApiException(
          status, "http_" + status, "HTTP " + status + " from " + server + ": " + bodyStart());
    }
    if (answers.bodyStartsWith(FOUND)) {
      return true;
    }
    if (answers.bodyStartsWith(ANSWER)) {
      return false;
    }
    throw new ApiException(
        status, "bad_response", "not a search answer from " + server + ": " + bodyStart());
  }

  /**
   * Sends {@code request} on the open connection and reads the answer; false when the server had
   * closed or reset the connection instead of answering.
   */
  private boolean answered(byte[] request) throws IOException {
    try {
      out.write(request);
      return answers.next();
    } catch (SocketException e) {
      return false;
    }
  }

  private void open() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    socket.connect(address, CONNECT_TIMEOUT_MILLIS);
    out = socket.getOutputStream();
    answers = new LeanResponseReader(socket.getInputStream());
  }

  private String bodyStart() {
    return answers.bodyText(200);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Closes the connection, if one is open; the next search opens a new one. */
  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing a socket we are done with: nothing to do about it.
      }
      socket = null;
    }
  }
}
