package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.index.Config;
import dev.swarmdex.index.IndexServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.Magnet;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI {@code search} against a real index server: it shows, as the search page does, how many
 * distinct networks a content's sources are on, beside how many sources there are.
 */
class SearchCommandTest {
  private static final Sha256 SHARED = Sha256.of("5".repeat(64));

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void eachResultShowsItsSourcesAndTheNetworksTheyAreOn() throws Exception {
    IndexServer server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(dir.resolve("index"))
                .withTiming(Duration.ofSeconds(30), Duration.ofSeconds(90))
                .withRateLimit(0));
    open.add(server);
    // Two identities in 127.0.0.0/24 and one in 127.0.1.0/24: three sources on two networks.
    for (String ip : new String[] {"127.0.0.2", "127.0.0.3", "127.0.1.2"}) {
      share(server, ip);
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        PeerAgentMain.run(
            new String[] {"search", "--server", server.uri().toString(), "networks", "demo"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, printed + err.toString(StandardCharsets.UTF_8));
    List<String> lines = printed.lines().toList();
    List<String> header = List.of(lines.get(0).trim().split("\\s+"));
    assertEquals(List.of("NAME", "SIZE", "SOURCES", "NETWORKS", "SHA256", "URL"), header);
    String row = lines.get(1);
    assertTrue(row.startsWith("networks demo.iso "), row);
    List<String> cells = List.of(row.substring("networks demo.iso".length()).trim().split("\\s+"));
    // SIZE prints as number and unit, so the cells after it are counted from the end.
    int n = cells.size();
    assertEquals("3", cells.get(n - 4), "sources: " + row);
    assertEquals("2", cells.get(n - 3), "networks: " + row);
    assertEquals(SHARED.hex(), cells.get(n - 2), row);
    Magnet link = Magnet.parse(lines.get(2).trim());
    assertEquals(new Magnet(SHARED, "networks demo.iso", 700_000_000L, server.uri()), link);
    assertEquals("1 of 1 results", lines.get(3));
  }

  /** A listening peer at {@code ip} that joins the server and shares {@link #SHARED}. */
  private void share(IndexServer server, String ip) throws Exception {
    InetAddress from = InetAddress.getByName(ip);
    ServerSocket port = new ServerSocket(0, 50, from);
    open.add(port);
    ApiClient api = ApiClient.create(server.uri(), from);
    open.add(api);
    JoinResponse joined = api.join(new JoinRequest("peer-" + ip, port.getLocalPort(), 0), null);
    api.publish(
        joined.credentials(),
        new FileList(List.of(new SharedFile("networks demo.iso", 700_000_000L, SHARED))));
  }
}
