package dev.swarmdex.engine.relay;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One HTTP/1.1 exchange over a plain socket from a chosen local address, so a test can be any
 * downloader on 127.0.0.N, hang up mid-wait, or send a body as slowly as it likes.
 */
final class RawCall implements AutoCloseable {
  /** What came back: status, headers (lower-case names) and as much body as arrived. */
  record Answer(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final CompletableFuture<Integer> status = new CompletableFuture<>();
  private final CompletableFuture<Answer> answer;

  private RawCall(Socket socket) {
    this.socket = socket;
    this.answer = CompletableFuture.supplyAsync(this::read);
  }

  /** Connects from {@code from} to {@code server} and sends the head of a request. */
  static RawCall start(URI server, String from, String method, String path, String... headers)
      throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress(server.getHost(), server.getPort()));
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    head.append("Host: ").append(server.getHost()).append("\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    head.append("\r\n");
    socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return new RawCall(socket);
  }

  /** A relay request for bytes {@code first..last} from the downloader at {@code from}. */
  static RawCall relay(URI server, String from, String path, long first, long last)
      throws IOException {
    return start(server, from, "GET", path, "Range: bytes=" + first + "-" + last);
  }

  OutputStream body() throws IOException {
    return socket.getOutputStream();
  }

  CompletableFuture<Answer> answer() {
    return answer;
  }

  /** The status, as soon as the head of the answer has come (before its body). */
  CompletableFuture<Integer> status() {
    return status;
  }

  private Answer read() {
    try {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String status = line(in);
      Map<String, String> headers = new HashMap<>();
      for (String line = line(in); !line.isEmpty(); line = line(in)) {
        int colon = line.indexOf(':');
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
      int code = Integer.parseInt(status.split(" ")[1]);
      this.status.complete(code);
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] body = in.readNBytes(length);
      return new Answer(code, headers, body);
    } catch (IOException e) {
      this.status.completeExceptionally(e);
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection ended mid-answer");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
