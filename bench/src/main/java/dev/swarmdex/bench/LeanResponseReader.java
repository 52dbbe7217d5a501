package dev.swarmdex.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads the HTTP/1.1 answers that arrive on one connection, one after the other, each body whole
 * into a buffer that is reused for the next: the framing of {@link LeanSearchClient}, with no
 * decoding of what the body says. A body ends where its {@code Content-Length} says or, with {@code
 * Transfer-Encoding: chunked}, at its last chunk (chunk extensions and trailers are skipped). Heads
 * over {@link #MAX_HEAD_BYTES} and bodies over {@link #MAX_BODY_BYTES} are refused. It does not
 * handle interim (1xx) answers, transfer codings other than chunked, or answers framed by neither
 * (a body up to the end of the connection, a 204 or 304 without {@code Content-Length}): Jetty
 * sends none of them to a plain {@code GET} of the search API.
 *
 * <pre>{@code
 * LeanResponseReader answers = new LeanResponseReader(socket.getInputStream());
 * if (answers.next() && answers.status() == 200 && answers.bodyStartsWith(prefix)) { ... }
 * }</pre>
 */
final class LeanResponseReader {
  /** Most bytes of a status line and headers together. */
  static final int MAX_HEAD_BYTES = 16 * 1024;

  /** Most bytes of a body. */
  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private final InputStream in;
  private final byte[] buffer = new byte[32 * 1024];
  private int position;
  private int limit;
  private int headBytes;
  private byte[] body = new byte[64 * 1024];
  private int bodyLength;
  private int status;
  private boolean keepAlive;

  LeanResponseReader(InputStream in) {
    this.in = in;
  }

  /**
   * Reads the next answer whole. Returns false when the connection ended before its first byte (the
   * server closed it); throws when it ended within the answer, or when the answer breaks HTTP/1.1
   * or the limits ({@link ProtocolException}).
   */
  boolean next() throws IOException {
    if (position == limit && fill() < 0) {
      return false;
    }
    headBytes = 0;
    String statusLine = line();
    if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
      throw new ProtocolException("not an HTTP/1.x status line: " + printable(statusLine));
    }
    status = statusCode(statusLine);
    boolean http10 = statusLine.charAt(7) == '0';
    long contentLength = -1;
    boolean chunked = false;
    boolean close = http10;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      if (colon <= 0 || header.charAt(0) == ' ' || header.charAt(0) == '\t') {
        throw new ProtocolException("malformed header line: " + printable(header));
      }
      String name = header.substring(0, colon);
      String value = header.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        long length = contentLength(value);
        if (contentLength >= 0 && length != contentLength) {
          throw new ProtocolException("two different Content-Length headers");
        }
        contentLength = length;
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        if (!value.equalsIgnoreCase("chunked")) {
          throw new ProtocolException("unsupported Transfer-Encoding: " + printable(value));
        }
        chunked = true;
      } else if (name.equalsIgnoreCase("Connection")) {
        String tokens = "," + value.toLowerCase(Locale.ROOT).replace(" ", "") + ",";
        close = tokens.contains(",close,") || (http10 && !tokens.contains(",keep-alive,"));
      }
    }
    bodyLength = 0;
    if (chunked) {
      readChunks();
    } else if (contentLength >= 0) {
      read((int) contentLength);
    } else {
      throw new ProtocolException("an answer with neither Content-Length nor chunked encoding");
    }
    keepAlive = !close;
    return true;
  }

  /** The status code of the answer {@link #next} read. */
  int status() {
    return status;
  }

  /** Whether the connection can carry another request after this answer. */
  boolean keepAlive() {
    return keepAlive;
  }

  /** Whether the body of the answer starts with {@code prefix}. */
  boolean bodyStartsWith(byte[] prefix) {
    return bodyLength >= prefix.length
        && Arrays.equals(body, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** At most the first {@code maxBytes} of the body as text, for messages. */
  String bodyText(int maxBytes) {
    return new String(body, 0, Math.min(bodyLength, maxBytes), StandardCharsets.UTF_8);
  }

  private void readChunks() throws IOException {
    while (true) {
      headBytes = 0; // each chunk's size line on its own against the limit
      String sizeLine = line();
      int semicolon = sizeLine.indexOf(';');
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
      long size;
      try {
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new ProtocolException("malformed chunk size: " + printable(sizeLine));
      }
      if (size < 0) {
        throw new ProtocolException("malformed chunk size: " + printable(sizeLine));
      }
      if (size == 0) {
        while (!line().isEmpty()) {
          // Trailer fields: nothing a search needs.
        }
        return;
      }
      if (size > MAX_BODY_BYTES - bodyLength) {
        throw tooLarge();
      }
      read((int) size);
      if (!line().isEmpty()) {
        throw new ProtocolException("a chunk does not end where its size says");
      }
    }
  }

  /** Appends the next {@code count} bytes of the connection to the body. */
  private void read(int count) throws IOException {
    if (count > MAX_BODY_BYTES - bodyLength) {
      throw tooLarge();
    }
    ensureBody(bodyLength + count);
    int buffered = Math.min(count, limit - position);
    System.arraycopy(buffer, position, body, bodyLength, buffered);
    position += buffered;
    bodyLength += buffered;
    for (int left = count - buffered; left > 0; ) {
      // Straight into the body: no second copy through the buffer.
      int n = in.read(body, bodyLength, left);
      if (n < 0) {
        throw new EOFException("the connection closed within an answer's body");
      }
      bodyLength += n;
      left -= n;
    }
  }

  private void ensureBody(int size) {
    if (size > body.length) {
      body = Arrays.copyOf(body, Math.min(MAX_BODY_BYTES, Math.max(size, body.length * 2)));
    }
  }

  /** The next line without its CRLF (or bare LF), counted against the head limit. */
  private String line() throws IOException {
    int scanFrom = position;
    while (true) {
      for (int i = scanFrom; i < limit; i++) {
        if (buffer[i] == '\n') {
          int end = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
          String line = new String(buffer, position, end - position, StandardCharsets.ISO_8859_1);
          headBytes += i + 1 - position;
          position = i + 1;
          if (headBytes > MAX_HEAD_BYTES) {
            throw headTooLarge();
          }
          return line;
        }
      }
      int scanned = limit - position;
      if (headBytes + scanned >= MAX_HEAD_BYTES) {
        throw headTooLarge();
      }
      if (fill() < 0) {
        throw new EOFException("the connection closed within an answer's head");
      }
      scanFrom = position + scanned;
    }
  }

  /**
   * Reads more of the connection after what the buffer holds, first moving that to the front;
   * returns the bytes read, or -1 at its end.
   */
  private int fill() throws IOException {
    System.arraycopy(buffer, position, buffer, 0, limit - position);
    limit -= position;
    position = 0;
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n > 0) {
      limit += n;
    }
    return n;
  }

  private static int statusCode(String statusLine) throws ProtocolException {
    // "HTTP/1.1 200 OK": the three digits after the first space.
    if (statusLine.charAt(8) != ' ' || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
      throw new ProtocolException("malformed status line: " + printable(statusLine));
    }
    int code = 0;
    for (int i = 9; i < 12; i++) {
      char c = statusLine.charAt(i);
      if (c < '0' || c > '9') {
        throw new ProtocolException("malformed status line: " + printable(statusLine));
      }
      code = code * 10 + (c - '0');
    }
    return code;
  }

  private static long contentLength(String value) throws ProtocolException {
    try {
      long length = Long.parseLong(value);
      if (length < 0) {
        throw new ProtocolException("negative Content-Length: " + printable(value));
      }
      if (length > MAX_BODY_BYTES) {
        throw tooLarge();
      }
      return length;
    } catch (NumberFormatException e) {
      throw new ProtocolException("malformed Content-Length: " + printable(value));
    }
  }

  private static ProtocolException headTooLarge() {
    return new ProtocolException(
        "the answer's status line and headers are over " + MAX_HEAD_BYTES + " bytes");
  }

  private static ProtocolException tooLarge() {
    return new ProtocolException("the answer's body is over " + MAX_BODY_BYTES + " bytes");
  }

  private static String printable(String text) {
    String start = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return "'" + start.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}
