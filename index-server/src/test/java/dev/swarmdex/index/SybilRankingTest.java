package dev.swarmdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.Source;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attacker with many identities on one address against an honest file shared from several
 * networks, through a real index server: sources count by network (/24), not by identity. All of
 * 127.0.0.0/8 reaches loopback, so 127.0.1.2, 127.0.2.2 and 127.0.3.2 are three networks and
 * 127.0.9.2 and 127.0.9.3 a fourth.
 */
class SybilRankingTest {
  private static final String NAME = "ubuntu-24.04.iso";
  private static final Sha256 HONEST = Sha256.of("e".repeat(64));
  private static final Sha256 FAKE = Sha256.of("1".repeat(64)); // wins any tie on the id

  @TempDir Path data;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private ApiClient clientAt(String ip, IndexServer server) throws IOException {
    ApiClient client = ApiClient.create(server.uri(), InetAddress.getByName(ip));
    open.add(client);
    return client;
  }

  /** A peer at {@code ip} (listening, so not firewalled) that joins and shares {@code sha}. */
  private void share(ApiClient client, String ip, Sha256 sha) throws IOException {
    ServerSocket port = new ServerSocket(0, 50, InetAddress.getByName(ip));
    open.add(port);
    JoinResponse joined = client.join(new JoinRequest("peer-" + ip, port.getLocalPort(), 0), null);
    client.publish(
        joined.credentials(), new FileList(List.of(new SharedFile(NAME, 6_000_000_000L, sha))));
  }

  @Test
  void twentyFiveIdentitiesOnOneNetworkDoNotOutrankThreeNetworks() throws Exception {
    IndexServer server =
        IndexServer.start(
            Config.defaults().withAddress("127.0.0.1", 0).withDataDir(data).withRateLimit(0));
    open.add(server);
    ApiClient attacker = clientAt("127.0.9.2", server);
    for (int i = 0; i < 20; i++) {
      share(attacker, "127.0.9.2", FAKE);
    }
    // More of its addresses in the same /24 add identities, not networks.
    ApiClient neighbour = clientAt("127.0.9.3", server);
    for (int i = 0; i < 5; i++) {
      share(neighbour, "127.0.9.3", FAKE);
    }
    for (String ip : List.of("127.0.1.2", "127.0.2.2", "127.0.3.2")) {
      share(clientAt(ip, server), ip, HONEST);
    }

    SearchResponse found = attacker.search(SearchQuery.of("ubuntu 24.04 iso"));

    assertEquals(2, found.results().size());
    SearchResult first = found.results().get(0);
    assertEquals(HONEST, first.sha256(), "the file shared from three networks ranks first");
    assertEquals(
        Set.of("127.0.1.2", "127.0.2.2", "127.0.3.2"),
        first.sources().stream().map(Source::ip).collect(Collectors.toSet()));
    assertEquals(3, first.networks());
    SearchResult fake = found.results().get(1);
    assertEquals(FAKE, fake.sha256());
    assertEquals(25, fake.sources().size(), "every identity is still listed as a source");
    assertEquals(1, fake.networks());

    // The count is on the wire, beside the sources, as a browser reads it.
    HttpResponse<String> raw =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.uri().resolve("/api/v1/search?q=ubuntu")).build(),
                BodyHandlers.ofString());
    assertEquals(200, raw.statusCode());
    assertTrue(raw.body().contains("}],\"networks\":3}"), raw.body());
    assertTrue(raw.body().contains("}],\"networks\":1}"), raw.body());
  }
}
