package dev.swarmdex.engine.watch;

import static dev.swarmdex.engine.Polling.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.swarmdex.engine.NoIdentities;
import dev.swarmdex.engine.catalog.Catalog;
import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.DirectorySettings;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.HeldWatch;
import dev.swarmdex.protocol.PublishedFiles;
import dev.swarmdex.protocol.WatchRegistration;
import dev.swarmdex.protocol.WatchRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rendezvous whose {@code notify} finds the subscriber's directory unable to take it (503 under
 * load, or a 403 while its view lacks the rendezvous) sends it once more a heartbeat later, and
 * never a third time: a fault is survived, and a dead directory costs one call more, not a loop.
 * Over a real socket.
 */
class WatchesRetryTest {
  static final Duration BEAT = Duration.ofMillis(300);

  @TempDir Path dir;

  @Test
  void aRefusedNotifyIsSentOnceMoreAHeartbeatLaterAndNoMore() throws Exception {
    AtomicInteger notifies = new AtomicInteger();
    HttpServer subscriberDirectory =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    subscriberDirectory.createContext(
        "/api/v1/mesh/notify",
        exchange -> {
          notifies.incrementAndGet();
          byte[] body =
              "{\"error\":\"unavailable\",\"message\":\"busy\"}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(503, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    subscriberDirectory.start();
    String url = "http://127.0.0.1:" + subscriberDirectory.getAddress().getPort();
    try (Catalog catalog = Catalog.open(dir.resolve("catalog"));
        ApiClient api = ApiClient.create(URI.create(url), null);
        Watches rendezvous =
            new Watches(
                new Directory(
                    catalog,
                    new NoIdentities(),
                    (ip, port) -> true,
                    Clock.systemUTC(),
                    DirectorySettings.defaults()),
                api,
                to -> new Credentials("r", "token"),
                Clock.systemUTC())) {
      rendezvous.setMembers("r", Map.of("r", "http://127.0.0.1:1", "s", url), BEAT);
      rendezvous.accept(
          "s",
          new WatchRegistration(
              List.of(
                  new HeldWatch("p1", "w1", "gymnopedie", WatchRequest.of("gymnopedie satie")))));

      rendezvous.publishedAt(
          "s", new PublishedFiles(List.of(WatchesViewTest.file("Satie - Gymnopedie.mp3"))));

      assertTrue(eventually(Duration.ofSeconds(10), () -> notifies.get() == 2), "sent again");
      long until = System.nanoTime() + BEAT.multipliedBy(4).toNanos();
      while (System.nanoTime() < until) {
        assertEquals(2, notifies.get(), "never a third time");
        Thread.sleep(20);
      }
    } finally {
      subscriberDirectory.stop(0);
    }
  }
}
