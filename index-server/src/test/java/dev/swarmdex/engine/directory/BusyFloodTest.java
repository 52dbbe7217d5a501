package dev.swarmdex.engine.directory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.catalog.Catalog;
import dev.swarmdex.engine.mesh.MeshNode;
import dev.swarmdex.index.identity.StoredIdentities;
import dev.swarmdex.index.store.Database;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FloodAnswer;
import dev.swarmdex.protocol.FloodQuery;
import dev.swarmdex.protocol.Neighbour;
import dev.swarmdex.protocol.SearchQuery;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory whose search turns are all taken still passes a flooded query on, within the query's
 * budget: forwarding takes no turn, and the directories behind it may have the answers.
 */
class BusyFloodTest {
  @TempDir Path dir;

  @Test
  void aBusyDirectoryStillFloodsTheQueryOnToItsNeighbours() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    try (Catalog catalog = Catalog.open(dir.resolve("catalog"));
        Database database =
            Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ServerSocket neighbourPort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ApiClient api = ApiClient.create(URI.create("http://127.0.0.1:1"), null)) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Socket s = neighbourPort.accept();
                    asked.incrementAndGet();
                    s.close();
                  }
                } catch (Exception e) {
                  // closed
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      Directory directory =
          new Directory(
              catalog,
              new StoredIdentities(database.peers()),
              PortProbe.tcp(Duration.ofSeconds(1), 4),
              Clock.systemUTC(),
              new DirectorySettings(Duration.ofSeconds(30), Duration.ofSeconds(90), 2, 3));
      SearchSlots slots = directory.searchSlots();
      for (int i = 0; i < slots.size(); i++) {
        slots.acquire(); // as many long searches running
      }
      try (MeshNode node = new MeshNode(directory, api, to -> new Credentials("me", "token"))) {
        node.setNeighbours(
            List.of(
                new Neighbour("behind", "http://127.0.0.1:" + neighbourPort.getLocalPort() + "/")));
        long start = System.nanoTime();
        FloodAnswer answer =
            node.answer(new FloodQuery("q1", 2, 0, SearchQuery.of("anything"), 1_700), "sender");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(answer.results().isEmpty(), "nothing from here: it had no turn to search");
        assertTrue(tookMillis < 1_700, "answered within the query's budget: " + tookMillis + " ms");
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (asked.get() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertTrue(asked.get() > 0, "the query went on to the neighbour behind");
      } finally {
        for (int i = 0; i < slots.size(); i++) {
          slots.release();
        }
      }
    }
  }
}
