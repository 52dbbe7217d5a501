package dev.swarmdex.system.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so that a request can be anything at all: a method or path no
 * client would send, a Content-Length that lies, bytes that are not UTF-8. Each call opens one
 * connection from the probe's address, sends {@code Connection: close}, and reads one answer (after
 * any 1xx) within a deadline; a server that does not answer in time fails with {@link Hang}.
 */
final class RawHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

  /**
   * The status of an answer lost because the server closed the connection while the request's body
   * was still being sent: it refused to read more, which is not a hang.
   */
  static final int CUT_OFF = 0;

  private RawHttp() {}

  /** No answer within the deadline. */
  static final class Hang extends IOException {
    Hang(String message) {
      super(message);
    }
  }

  /** An answer: status, headers (names lower-cased; the last line of a name wins) and body. */
  record Answer(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as JSON, or null when it is not JSON. */
    JsonNode json() {
      try {
        return body.length == 0 ? null : JSON.readTree(body);
      } catch (IOException e) {
        return null;
      }
    }

    @Override
    public String toString() {
      String text = text();
      return status + " " + headers + " " + (text.length() > 500 ? text.substring(0, 500) : text);
    }
  }

  /** Sends {@code probe} and reads the answer, failing with {@link Hang} after {@code within}. */
  static Answer send(Probe probe, Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(probe.from(), 0));
      socket.connect(
          new InetSocketAddress(probe.server().getHost(), probe.server().getPort()),
          (int) Math.max(1, within.toMillis()));
      OutputStream out = socket.getOutputStream();
      IOException refused = null;
      try {
        out.write(head(probe));
        out.write(probe.body());
        out.flush();
        String declared = probe.header("Content-Length");
        if (probe.header("Transfer-Encoding") != null
            || (declared != null && !declared.equals(Integer.toString(probe.body().length)))) {
          // A body shorter than declared (or not chunked as declared) would leave the server
          // waiting for the rest of the request, rightly: say the request ends here.
          socket.shutdownOutput();
        }
      } catch (IOException e) {
        // The server answered (or hung up) before taking the whole body, as it may for a body
        // over its limit: read what it said.
        refused = e;
      }
      Reader in = new Reader(socket, new BufferedInputStream(socket.getInputStream()), deadline);
      try {
        return read(in, probe.method().equals("HEAD"));
      } catch (SocketTimeoutException e) {
        throw new Hang("no answer within " + within.toMillis() + " ms");
      } catch (IOException e) {
        if (refused == null) {
          throw e;
        }
        // Its answer was lost with the connection (TCP resets a socket closed with unread bytes).
        return new Answer(CUT_OFF, Map.of(), new byte[0]);
      }
    }
  }

  private static byte[] head(Probe probe) {
    StringBuilder head =
        new StringBuilder(probe.method())
            .append(' ')
            .append(probe.target())
            .append(" HTTP/1.1\r\n");
    if (probe.header("Host") == null) {
      head.append("Host: ")
          .append(probe.server().getHost())
          .append(':')
          .append(probe.server().getPort())
          .append("\r\n");
    }
    for (Probe.Header header : probe.headers()) {
      head.append(header.name()).append(": ").append(header.value()).append("\r\n");
    }
    if (probe.header("Content-Length") == null
        && probe.header("Transfer-Encoding") == null
        && (probe.body().length > 0 || !probe.method().matches("GET|HEAD|DELETE|OPTIONS"))) {
      head.append("Content-Length: ").append(probe.body().length).append("\r\n");
    }
    if (probe.header("Connection") == null) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    return Mutation.bytes(head.toString());
  }

  private static Answer read(Reader in, boolean head) throws IOException {
    while (true) {
      String status = in.line();
      String[] parts = status.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP status line: " + status);
      }
      int code = Integer.parseInt(parts[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line = in.line(); !line.isEmpty(); line = in.line()) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.put(
              line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              line.substring(colon + 1).trim());
        }
      }
      if (code >= 100 && code < 200) {
        continue; // 100 Continue and the like: the answer follows
      }
      byte[] body;
      if (head || code == 204 || code == 304) {
        body = new byte[0];
      } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        body = in.chunked();
      } else if (headers.containsKey("content-length")) {
        body = in.exactly(Long.parseLong(headers.get("content-length")));
      } else {
        body = in.rest();
      }
      return new Answer(code, headers, body);
    }
  }

  /** Reads lines and bodies, keeping the socket's timeout at what is left of the deadline. */
  private static final class Reader {
    private final Socket socket;
    private final InputStream in;
    private final long deadline;

    Reader(Socket socket, InputStream in, long deadline) {
      this.socket = socket;
      this.in = in;
      this.deadline = deadline;
    }

    private int next() throws IOException {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        throw new SocketTimeoutException("deadline passed");
      }
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
      return in.read();
    }

    String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = next(); b != '\n'; b = next()) {
        if (b < 0) {
          throw new EOFException("connection closed mid-line after: " + line);
        }
        if (b != '\r') {
          line.write(b);
        }
        if (line.size() > 64 * 1024) {
          throw new IOException("answer line too long");
        }
      }
      return line.toString(StandardCharsets.ISO_8859_1);
    }

    byte[] exactly(long length) throws IOException {
      if (length > MAX_ANSWER_BYTES) {
        throw new IOException("answer body too large: " + length);
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (long i = 0; i < length; i++) {
        int b = next();
        if (b < 0) {
          throw new EOFException("body cut off after " + i + " of " + length + " bytes");
        }
        body.write(b);
      }
      return body.toByteArray();
    }

    byte[] chunked() throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String size = line();
        int semi = size.indexOf(';');
        long length = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
        if (length == 0) {
          for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
            // trailers are ignored
          }
          return body.toByteArray();
        }
        body.writeBytes(exactly(length));
        line();
        if (body.size() > MAX_ANSWER_BYTES) {
          throw new IOException("answer body too large");
        }
      }
    }

    byte[] rest() throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (int b = next(); b >= 0; b = next()) {
        body.write(b);
        if (body.size() > MAX_ANSWER_BYTES) {
          throw new IOException("answer body too large");
        }
      }
      return body.toByteArray();
    }
  }
}
