package dev.swarmdex.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Json;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A directory that shuts down while a peer's presence is open ends it cleanly: the peer sees its
 * connection closed or a {@code 503 unavailable} JSON answer, never a 500, and the server neither
 * counts nor logs a server error for it.
 */
class PresenceShutdownTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  @TempDir Path data;

  @Test
  void aDirectoryShuttingDownEndsAnOpenPresenceWithoutAServerError() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    root.addAppender(logged);
    try (ServerSocket peerPort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      IndexServer server =
          IndexServer.start(
              Config.defaults().withAddress("127.0.0.1", 0).withDataDir(data).withRateLimit(0));
      Socket presence;
      try (ApiClient api = ApiClient.create(server.uri(), null)) {
        Credentials me =
            api.join(new JoinRequest("leaving", peerPort.getLocalPort(), 0), null).credentials();
        double before = presences(server);
        presence = open(server, me);
        await("the presence is held", () -> presences(server) > before);
      } catch (Exception | Error e) {
        server.close();
        throw e;
      }
      try (Socket held = presence) {
        server.close();
        String answer = answer(held);
        if (!answer.isEmpty()) {
          assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
          ErrorBody error =
              Json.read(
                  answer.substring(answer.indexOf('{')).getBytes(StandardCharsets.UTF_8),
                  ErrorBody.class);
          assertEquals("unavailable", error.code(), answer);
        }
      }
    } finally {
      root.detachAppender(logged);
    }
    List<String> errors =
        logged.list.stream()
            .filter(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
            .map(event -> event.getLoggerName() + ": " + event.getFormattedMessage())
            .toList();
    assertEquals(List.of(), errors, "no error logged");
    assertFalse(
        logged.list.stream().anyMatch(e -> e.getFormattedMessage().contains("status=500")),
        "no 500");
  }

  /** How many presences the server holds, as its {@code /metrics} shows them. */
  private static double presences(IndexServer server) throws Exception {
    HttpResponse<String> metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.uri().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith("swarmdex_presences ")) {
        return Double.parseDouble(line.substring("swarmdex_presences ".length()).trim());
      }
    }
    return -1;
  }

  /** A presence over a plain socket, with one keep-alive sent. */
  private static Socket open(IndexServer server, Credentials me) throws Exception {
    Socket socket = new Socket(server.uri().getHost(), server.uri().getPort());
    String head =
        "POST /api/v1/peers/"
            + me.peerId()
            + "/presence HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + me.token()
            + "\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n\n\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  private static void await(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + DEADLINE.toSeconds() + " s: " + what);
      }
      Thread.sleep(50);
    }
  }

  /** All the server sent on {@code socket} until it closed it (empty: closed without a word). */
  private static String answer(Socket socket) throws Exception {
    socket.setSoTimeout((int) DEADLINE.toMillis());
    try {
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (SocketException reset) {
      return ""; // a reset: closed without a word
    }
  }
}
