package dev.swarmdex.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.supernode.Supernode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Standalone supernodes beside a {@link Network}'s index server, each on its own loopback address
 * (127.0.{@code net}.{@code 10 + i}), issued by the admin API; and what the admin API says of the
 * mesh. Closing it stops the supernodes still running.
 */
final class Mesh implements AutoCloseable {
  final Map<String, Supernode> supernodes = new LinkedHashMap<>();
  private final Map<String, Credentials> keys = new HashMap<>();
  private final Network network;
  private final AdminClient admin;

  Mesh(Network network, AdminClient admin) {
    this.network = network;
    this.admin = admin;
  }

  /** Starts {@code count} supernodes on 127.0.{@code net}.11 onwards. */
  Mesh start(int count, int net) throws Exception {
    for (int i = 1; i <= count; i++) {
      JsonNode issued = admin.post("supernodes", "{\"name\":\"r" + i + "\"}");
      Credentials credentials =
          new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
      keys.put(credentials.peerId(), credentials);
      supernodes.put(
          credentials.peerId(),
          Supernode.start(
              new Supernode.Config(
                  network.serverUri(),
                  credentials,
                  InetAddress.getByName("127.0." + net + "." + (10 + i)),
                  0,
                  network.root.resolve("r" + i),
                  "r" + i,
                  Network.HEARTBEAT,
                  Network.TIMEOUT),
              () -> {}));
    }
    return this;
  }

  /** Supernode {@code id}'s mesh token. */
  String token(String id) {
    return keys.get(id).token();
  }

  /** The supernodes the index server counts in the mesh. */
  List<String> members() {
    try {
      List<String> ids = new ArrayList<>();
      admin.get("mesh").get("supernodes").forEach(m -> ids.add(m.get("id").asText()));
      return ids;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Peer id -> the directory its session is with, as the admin API lists it. */
  Map<String, String> homes() {
    try {
      Map<String, String> homes = new HashMap<>();
      admin
          .get("peers")
          .get("peers")
          .forEach(p -> homes.put(p.get("peerId").asText(), p.get("directory").asText()));
      return homes;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The counters supernode {@code id} last reported, as the admin API's mesh view lists them. */
  JsonNode reportedQueries(String id) {
    try {
      for (JsonNode m : admin.get("mesh").get("supernodes")) {
        if (m.get("id").asText().equals(id)) {
          return m.get("queries");
        }
      }
      return null;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Stops one supernode (as a crash would, for its leaves: they must move). */
  void kill(String id) {
    supernodes.remove(id).close();
  }

  /** Where supernode data lives. */
  Path root() {
    return network.root;
  }

  @Override
  public void close() throws IOException {
    supernodes.values().forEach(Supernode::close);
    supernodes.clear();
  }
}
