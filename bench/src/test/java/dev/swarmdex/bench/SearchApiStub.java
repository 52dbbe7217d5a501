package dev.swarmdex.bench;

import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.SearchResponse;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * A Jetty server on 127.0.0.1 answering {@code GET /api/v1/search} with search answers encoded by
 * the protocol's own {@link Json}, chosen by the words of {@code q}: {@code missing} an empty page,
 * {@code bad} a 400 with a JSON error, anything else a page of {@link #RESULTS} results. Answers
 * are written in one piece as the index server's {@code ApiHandler} writes them, or, when {@code q}
 * holds {@code chunked}, in two pieces so that Jetty chunks them. It records the path and query of
 * every request and the connection it came on.
 */
final class SearchApiStub implements AutoCloseable {
  /** Results in a page that found something: about 20 KB, as a real page of 50. */
  static final int RESULTS = 50;

  private final Server server;
  private final Queue<String> requests = new ConcurrentLinkedQueue<>();
  private final Set<String> connections = ConcurrentHashMap.newKeySet();

  private SearchApiStub(boolean closeEach, long idleTimeoutMillis) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setIdleTimeout(idleTimeoutMillis);
    server.addConnector(connector);
    server.setHandler(new Answers(closeEach));
    server.start();
  }

  /** A server keeping connections open for 30 s between requests. */
  static SearchApiStub start() throws Exception {
    return new SearchApiStub(false, 30_000);
  }

  /** A server that closes each connection after one answer ({@code Connection: close}). */
  static SearchApiStub closingEach() throws Exception {
    return new SearchApiStub(true, 30_000);
  }

  /** A server that closes a connection idle for {@code millis}, without saying so in an answer. */
  static SearchApiStub closingIdle(long millis) throws Exception {
    return new SearchApiStub(false, millis);
  }

  URI uri() {
    return server.getURI();
  }

  /** The path and query string of every request, in order. */
  List<String> requests() {
    return new ArrayList<>(requests);
  }

  /** How many connections requests came on. */
  int connections() {
    return connections.size();
  }

  /** The body of a page of {@code size} results, as the index server writes it. */
  static byte[] page(int size) {
    List<SearchResult> results = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String hex = String.format("%064x", i + 1);
      Source source =
          new Source(
              "peer-" + i, "127.0.0.1", 6346, Source.url("127.0.0.1", 6346, Sha256.of(hex)), true);
      results.add(
          new SearchResult(
              "usr/share/doc/package-" + i + "/changelog.Debian.gz",
              1_048_576 + i,
              Sha256.of(hex),
              FileType.of("changelog.Debian.gz"),
              List.of(source)));
    }
    return Json.write(new SearchResponse(results, size, 0));
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  private final class Answers extends Handler.Abstract {
    private final boolean closeEach;

    Answers(boolean closeEach) {
      this.closeEach = closeEach;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      requests.add(request.getHttpURI().getPathQuery());
      connections.add(request.getConnectionMetaData().getId());
      Fields params = Request.extractQueryParameters(request);
      String q = params.getValue("q");
      List<String> words = q == null ? List.of() : List.of(q.split(" "));
      byte[] body;
      if (words.contains("bad")) {
        response.setStatus(400);
        body = Json.write(new ErrorBody("no such word", "bad_query"));
      } else {
        response.setStatus(200);
        body = page(words.contains("missing") ? 0 : RESULTS);
      }
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      if (closeEach) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
      if (words.contains("chunked")) {
        int half = body.length / 2;
        response.write(
            false,
            ByteBuffer.wrap(body, 0, half),
            Callback.from(
                () ->
                    response.write(true, ByteBuffer.wrap(body, half, body.length - half), callback),
                callback::failed));
      } else {
        response.write(true, ByteBuffer.wrap(body), callback);
      }
      return true;
    }
  }
}
