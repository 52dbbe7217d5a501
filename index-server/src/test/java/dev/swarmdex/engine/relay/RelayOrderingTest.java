package dev.swarmdex.engine.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.catalog.Catalog;
import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.DirectorySettings;
import dev.swarmdex.engine.directory.PortProbe;
import dev.swarmdex.index.identity.StoredIdentities;
import dev.swarmdex.index.store.Database;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.PushRequest;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which thread passes a relay's bytes. When the firewalled peer's upload wins the race against the
 * downloader's registration, the registering (downloader's) thread learns of the delivery late and
 * runs what follows; that must never be the copy. A real directory and relay behind a real Jetty
 * server whose downloader route learns of the delivery on another thread, and an upload whose bytes
 * are held back until that side has handed its response over.
 */
class RelayOrderingTest {
  private static final int SIZE = 1000;
  private static final Sha256 SHA = Sha256.of("6b".repeat(32));

  @TempDir Path dir;

  private Catalog catalog;
  private Database database;
  private Directory directory;
  private JoinResponse peer;

  /** A real directory on a fresh catalog and database, with one firewalled peer sharing SHA. */
  @BeforeEach
  void hiddenPeer() throws Exception {
    catalog = Catalog.open(dir.resolve("catalog"));
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    directory =
        new Directory(
            catalog,
            new StoredIdentities(database.peers()),
            PortProbe.tcp(Duration.ofSeconds(1), 4),
            Clock.systemUTC(),
            DirectorySettings.defaults());
    peer =
        directory.join(
            new JoinRequest("hidden", closedPort(), 0)
                .signed(PeerKey.generate(), null, System.currentTimeMillis()),
            "127.0.0.1",
            null);
    assertTrue(peer.firewalled());
    directory.publish(
        peer.peerId(), peer.token(), new FileList(List.of(new SharedFile("h.bin", SIZE, SHA))));
  }

  @AfterEach
  void close() {
    database.close();
    catalog.close();
  }

  @Test
  void aWaitRegisteredJustAfterThePeerLeftFailsAtOnce() throws Exception {
    try (Relay relay =
        new Relay(directory, new RelaySettings(1 << 20, 4, Duration.ofSeconds(20)))) {
      long size = relay.sizeOf(peer.peerId(), SHA); // the route's check: online
      directory.leave(peer.peerId(), peer.token()); // ... and the peer leaves right after

      CompletableFuture<Delivery> waiting = relay.open(peer.peerId(), SHA, 0, 9, size, "127.0.0.9");

      java.util.concurrent.ExecutionException failed =
          org.junit.jupiter.api.Assertions.assertThrows(
              java.util.concurrent.ExecutionException.class,
              () -> waiting.get(2, TimeUnit.SECONDS),
              "the downloader learns now, not after the 20 s wait");
      assertTrue(failed.getCause().getMessage().contains("went offline"), failed.toString());
    }
  }

  @Test
  void theBytesPassOnThePeersUploadEvenWhenItComesBeforeTheDownloaderListens() throws Exception {
    CountDownLatch handedOver = new CountDownLatch(1);
    try (Relay relay =
        new Relay(directory, new RelaySettings(1 << 20, 4, Duration.ofSeconds(20)))) {
      Server server = new Server();
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      server.addConnector(connector);
      server.setHandler(
          new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
              String path = Request.getPathInContext(request);
              if (path.equals("/download")) {
                CompletableFuture<Delivery> delivery =
                    relay.open(peer.peerId(), SHA, 0, 9, SIZE, "127.0.0.1");
                // Learns of the delivery only once the upload has come, on a thread of its own.
                delivery.thenAcceptAsync(
                    d -> {
                      d.writeTo(response, callback);
                      handedOver.countDown();
                    });
                return true;
              }
              String id = path.substring("/upload/".length());
              long passed = relay.deliver(id, peer.token(), request);
              response.write(
                  true,
                  ByteBuffer.wrap(("{\"bytes\":" + passed + "}").getBytes(StandardCharsets.UTF_8)),
                  callback);
              return true;
            }
          });
      server.start();
      try {
        URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<byte[]>> download =
            http.sendAsync(
                HttpRequest.newBuilder(base.resolve("/download")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        PushRequest push =
            relay.pushes(peer.peerId(), peer.token(), 10).get(10, TimeUnit.SECONDS).pushes().get(0);
        byte[] bytes = "0123456789".getBytes(StandardCharsets.US_ASCII);
        try (RawCall upload =
            RawCall.start(
                base, "127.0.0.1", "POST", "/upload/" + push.id(), "Content-Length: 10")) {
          // The body is held back until the downloader's side has handed its response over: had
          // the bytes to pass on that side's thread, it would wait for them and never get there.
          assertTrue(
              handedOver.await(10, TimeUnit.SECONDS),
              "the downloader's side handed over at once, without waiting for the bytes");
          upload.body().write(bytes);
          upload.body().flush();
          RawCall.Answer uploaded = upload.answer().get(20, TimeUnit.SECONDS);
          assertEquals(200, uploaded.status(), uploaded.text());
          assertEquals("{\"bytes\":10}", uploaded.text());
        }
        HttpResponse<byte[]> got = download.get(20, TimeUnit.SECONDS);
        assertEquals(206, got.statusCode());
        assertArrayEquals(bytes, got.body());
      } finally {
        server.stop();
      }
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
