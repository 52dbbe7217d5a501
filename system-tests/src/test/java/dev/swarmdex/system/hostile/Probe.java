package dev.swarmdex.system.hostile;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One HTTP request as it goes on the wire, before or after mutation: the server it is aimed at, the
 * address it comes from, the request line, the headers in order and the body bytes. Content-Length
 * is added when sending unless a header already says one (or Transfer-Encoding).
 *
 * @param server base URI of the server ({@code http://HOST:PORT})
 * @param from the local address the connection comes from (servers see the caller's IP from it)
 * @param method the request method, sent as is
 * @param path the raw request target's path, sent as is (already percent-encoded where needed)
 * @param query the raw query string without '?', or empty
 * @param headers name/value pairs in order; a name may repeat
 * @param body the body bytes (may be empty)
 */
record Probe(
    URI server,
    InetAddress from,
    String method,
    String path,
    String query,
    List<Header> headers,
    byte[] body) {

  /** A header line. */
  record Header(String name, String value) {
    Header {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  Probe {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    query = query == null ? "" : query;
    headers = List.copyOf(headers);
    body = body == null ? new byte[0] : body;
  }

  /** A request with no headers and no body. */
  static Probe of(URI server, InetAddress from, String method, String path, String query) {
    return new Probe(server, from, method, path, query, List.of(), new byte[0]);
  }

  Probe withMethod(String newMethod) {
    return new Probe(server, from, newMethod, path, query, headers, body);
  }

  Probe withPath(String newPath) {
    return new Probe(server, from, method, newPath, query, headers, body);
  }

  Probe withQuery(String newQuery) {
    return new Probe(server, from, method, path, newQuery, headers, body);
  }

  Probe withBody(byte[] newBody) {
    return new Probe(server, from, method, path, query, headers, newBody);
  }

  Probe withJson(String json) {
    return withBody(json.getBytes(StandardCharsets.UTF_8))
        .withHeader("Content-Type", "application/json");
  }

  /** Sets {@code name} (replacing every line of it); a null value removes it. */
  Probe withHeader(String name, String value) {
    List<Header> changed = new ArrayList<>();
    for (Header header : headers) {
      if (!header.name().equalsIgnoreCase(name)) {
        changed.add(header);
      }
    }
    if (value != null) {
      changed.add(new Header(name, value));
    }
    return new Probe(server, from, method, path, query, changed, body);
  }

  /** Adds one more {@code name} line, keeping those already there. */
  Probe addHeader(String name, String value) {
    List<Header> changed = new ArrayList<>(headers);
    changed.add(new Header(name, value));
    return new Probe(server, from, method, path, query, changed, body);
  }

  /** The value of the first {@code name} line, or null. */
  String header(String name) {
    for (Header header : headers) {
      if (header.name().equalsIgnoreCase(name)) {
        return header.value();
      }
    }
    return null;
  }

  /** The request target: path and query. */
  String target() {
    return query.isEmpty() ? path : path + "?" + query;
  }

  /** How the request reads in a failure message (the body cut short). */
  @Override
  public String toString() {
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.length() > 300) {
      text = text.substring(0, 300) + "...(" + body.length + " bytes)";
    }
    StringBuilder out =
        new StringBuilder(method)
            .append(' ')
            .append(server)
            .append(abbreviate(target()))
            .append(" from ")
            .append(from.getHostAddress());
    for (Header header : headers) {
      out.append("\n  ").append(header.name()).append(": ").append(abbreviate(header.value()));
    }
    if (body.length > 0) {
      out.append("\n  body: ").append(text);
    }
    return out.toString();
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "...(" + text.length() + " chars)" : text;
  }
}
