package dev.swarmdex.protocol;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The HTTP side of an {@link ApiClient}: one directory's base address, the Jetty client (its
 * connection pool, TLS trust and local address), and how a call is sent and its answer or error
 * read. The typed calls are {@link ApiClient}'s.
 */
final class ApiTransport implements AutoCloseable {
  /** How long a call may take, unless it sets its own timeout. */
  static final long TIMEOUT_SECONDS = 30;

  private final URI server;
  private final HttpClient http;
  private final boolean ownsHttp;

  ApiTransport(URI server, HttpClient http, boolean ownsHttp) {
    String base = server.toString();
    this.server = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    this.http = http;
    this.ownsHttp = ownsHttp;
  }

  /**
   * A started HTTP client with its own connection pool, bound to {@code bindAddress} when that is
   * not null, that accepts an {@code https://} directory's certificate only when {@code trust}
   * does.
   */
  static HttpClient startClient(InetAddress bindAddress, ServerTrust trust) {
    HttpClient http = new HttpClient();
    http.setSslContextFactory(trust.sslContextFactory());
    if (bindAddress != null) {
      http.setBindAddress(new InetSocketAddress(bindAddress, 0));
    }
    // The API's 401 means "join again", not an authentication challenge to answer.
    http.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
    http.setConnectTimeout(5_000);
    http.setIdleTimeout(60_000);
    try {
      http.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start HTTP client", e);
    }
    return http;
  }

  /** A transport to another directory over the same HTTP client, which it does not own. */
  ApiTransport at(URI other) {
    return new ApiTransport(other, http, false);
  }

  /** The directory this transport talks to. */
  URI server() {
    return server;
  }

  /** A request to an address of its own (not the directory's), over the same HTTP client. */
  Request newRequest(String uri) {
    return http.newRequest(uri);
  }

  Request request(HttpMethod method, String pathAndQuery) {
    return http.newRequest(server + pathAndQuery)
        .method(method)
        .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .headers(h -> h.put(HttpHeader.ACCEPT, "application/json"));
  }

  Request authorized(HttpMethod method, String path, Credentials peer) {
    return request(method, path)
        .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + peer.token()));
  }

  static BytesRequestContent json(Object body) {
    return new BytesRequestContent("application/json", Json.write(body));
  }

  <T> T send(Request call, Class<T> type) {
    ContentResponse response;
    try {
      response = call.send();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted while calling " + server, e);
    } catch (TimeoutException | ExecutionException e) {
      if (ServerTrust.isUntrustedCertificate(e)) {
        throw new ApiException(
            "untrusted_certificate",
            "cannot reach "
                + server
                + ": its TLS certificate is not trusted (pin it, or the CA that signed it, with"
                + " --server-cert FILE): "
                + rootMessage(e),
            e);
      }
      throw new ApiException("cannot reach " + server + ": " + rootMessage(e), e);
    }
    int status = response.getStatus();
    byte[] body = response.getContent();
    if (status / 100 != 2) {
      ErrorBody error = readError(body);
      String message = error != null && error.error() != null ? error.error() : "HTTP " + status;
      throw new ApiException(
          status,
          error != null ? error.code() : "http_" + status,
          message,
          retryAfter(response.getHeaders().get(HttpHeader.RETRY_AFTER)));
    }
    if (type == null) {
      return null;
    }
    try {
      return Json.readAnswer(body, type);
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          status, "bad_response", "unexpected answer from " + server + ": " + e.getMessage());
    }
  }

  private static long retryAfter(String header) {
    if (header == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static ErrorBody readError(byte[] body) {
    try {
      return Json.readAnswer(body, ErrorBody.class);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  @Override
  public void close() {
    if (ownsHttp) {
      try {
        http.stop();
      } catch (Exception e) {
        throw new IllegalStateException("cannot stop HTTP client", e);
      }
    }
  }
}
