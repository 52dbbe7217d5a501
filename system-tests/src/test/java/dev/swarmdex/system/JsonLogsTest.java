package dev.swarmdex.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.peer.PeerAgentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --log-format json}: the real index server, started as an operator starts it, writes one
 * JSON object a line (level, logger, message), and a peer's join, its ban (which ends its session)
 * and the ban's lifting each come as one line carrying the peer's id.
 */
class JsonLogsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "json logs admin password";

  @TempDir Path root;

  @Test
  void everyLineIsOneJsonObjectAndPeerEventsNameThePeer() throws Exception {
    Path password = Files.writeString(root.resolve("admin-password"), PASSWORD);
    Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
    Path share = Files.createDirectories(root.resolve("share"));
    Network.writeFile(share, "json logs.bin", 4096);
    try (ServerProcess server =
        ServerProcess.start(root.resolve("data"), password, List.of("--log-format", "json"))) {
      String peerId;
      try (PeerAgent agent =
          PeerAgent.start(
              new PeerAgentConfig(
                  server.uri(),
                  share,
                  root.resolve("state"),
                  Network.address(71),
                  0,
                  "json-peer",
                  Duration.ofMillis(500)))) {
        peerId = agent.credentials().orElseThrow().peerId();
        awaitLine(server, line -> line.path("peer").asText().equals(peerId), "the join");
        AdminClient admin = new AdminClient(server.uri()).login(PASSWORD);
        long ban =
            admin
                .post("bans", "{\"peerId\":\"" + peerId + "\",\"reason\":\"json logs\"}")
                .get("ban")
                .get("id")
                .asLong();
        assertEquals(200, admin.raw("DELETE", "bans/" + ban, null).statusCode());
        awaitLine(
            server,
            line -> line.path("message").asText().startsWith("lifted ban " + ban),
            "the lifted ban");
      }
      List<JsonNode> lines = lines(server);
      for (JsonNode line : lines) {
        for (String field : List.of("time", "level", "logger", "thread", "message")) {
          assertTrue(line.hasNonNull(field), field + " in " + line);
        }
        assertFalse(line.get("message").asText().contains("\n"), "one line: " + line);
        assertFalse(
            line.get("logger").asText().startsWith("org.eclipse.jetty")
                && line.get("level").asText().equals("INFO"),
            "no Jetty INFO: " + line);
      }
      assertOne(lines, peerId, "joined from 127.0.0.71");
      assertOne(lines, peerId, "ended the session of peer " + peerId);
      assertOne(lines, peerId, "lifted ban");
      assertTrue(
          lines.stream()
              .anyMatch(
                  line ->
                      line.path("action").asText().equals("ban")
                          && line.path("target").asText().equals(peerId)),
          "the ban's audit line names the peer: " + lines);
    }
  }

  private static void assertOne(List<JsonNode> lines, String peerId, String text) {
    List<JsonNode> matching =
        lines.stream().filter(line -> line.get("message").asText().contains(text)).toList();
    assertEquals(1, matching.size(), text + " in " + lines);
    assertEquals(peerId, matching.get(0).path("peer").asText(), matching.get(0).toString());
    assertEquals("INFO", matching.get(0).get("level").asText());
  }

  /** Every line of the server's log but its one line on stdout, each read as a JSON object. */
  private static List<JsonNode> lines(ServerProcess server) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    String output = server.output();
    // A line still being written is read next time.
    for (String line : output.substring(0, output.lastIndexOf('\n') + 1).lines().toList()) {
      if (line.startsWith("Swarmdex index server on ")) {
        continue; // what the program prints for its user, on stdout
      }
      JsonNode node = JSON.readTree(line);
      assertTrue(node.isObject(), line);
      lines.add(node);
    }
    return lines;
  }

  private static void awaitLine(ServerProcess server, Predicate<JsonNode> wanted, String what)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (lines(server).stream().anyMatch(wanted)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no log line for " + what + ":\n" + server.output());
  }
}
