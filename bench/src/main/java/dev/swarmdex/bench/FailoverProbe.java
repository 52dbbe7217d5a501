package dev.swarmdex.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Measures failover time in a running KaZaA-mode network (started by {@code
 * scripts/bench-failover.sh}): it notes every (content, source) pair that searches for the given
 * words find through the index server, kills the supernode with the most leaves ({@code kill -9}),
 * then searches every 200 ms and records when each pair held by that supernode's leaves is
 * searchable again (its leaf noticed, re-homed and republished). Prints one line of figures,
 * tab-separated: leaves moved, pairs lost, first back (s), median back (s), all back (s).
 *
 * <p>Usage: {@code FailoverProbe SERVER ADMIN_PASSWORD WORD[,WORD...] TIMEOUT_SECONDS}
 */
public final class FailoverProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long POLL_MILLIS = 200;

  private final URI server;
  private final HttpClient http;
  private final List<String> words;

  private FailoverProbe(URI server, List<String> words) {
    this.server = server;
    this.words = words;
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println(
          "usage: FailoverProbe SERVER ADMIN_PASSWORD WORD[,WORD...] TIMEOUT_SECONDS");
      System.exit(2);
    }
    FailoverProbe probe = new FailoverProbe(URI.create(args[0]), List.of(args[2].split(",")));
    probe.login(args[1]);
    System.out.println(probe.run(Duration.ofSeconds(Long.parseLong(args[3]))));
  }

  private JsonNode call(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        http.send(
            request.timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException(
          "HTTP "
              + response.statusCode()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    return JSON.readTree(response.body());
  }

  private void login(String password) throws IOException, InterruptedException {
    String body = JSON.writeValueAsString(Map.of("name", "admin", "password", password));
    call(
        HttpRequest.newBuilder(server.resolve("/api/v1/admin/login"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Every (content, source peer) pair the searches find now. */
  private Set<String> pairs() throws IOException, InterruptedException {
    Set<String> found = new HashSet<>();
    for (String word : words) {
      JsonNode answer =
          call(
              HttpRequest.newBuilder(
                  server.resolve(
                      "/api/v1/search?limit=200&q="
                          + URLEncoder.encode(word, StandardCharsets.UTF_8))));
      for (JsonNode result : answer.path("results")) {
        for (JsonNode source : result.path("sources")) {
          found.add(result.path("sha256").asText() + "|" + source.path("peer").asText());
        }
      }
    }
    return found;
  }

  private String run(Duration timeout) throws Exception {
    JsonNode mesh = call(HttpRequest.newBuilder(server.resolve("/api/v1/admin/mesh")));
    JsonNode victim = null;
    for (JsonNode supernode : mesh.path("supernodes")) {
      if (victim == null || supernode.path("leaves").size() > victim.path("leaves").size()) {
        victim = supernode;
      }
    }
    if (victim == null || victim.path("leaves").isEmpty()) {
      throw new IllegalStateException("no supernode with leaves to kill: " + mesh);
    }
    Set<String> movedPeers = new HashSet<>();
    for (JsonNode leaf : victim.path("leaves")) {
      movedPeers.add(leaf.path("peerId").asText());
    }
    Set<String> before = pairs();
    Set<String> watched = new TreeSet<>();
    for (String pair : before) {
      if (movedPeers.contains(pair.substring(pair.indexOf('|') + 1))) {
        watched.add(pair);
      }
    }
    if (watched.isEmpty()) {
      throw new IllegalStateException("the searches find no file of the victim's leaves");
    }
    String name = victim.path("name").asText();
    Optional<ProcessHandle> process =
        ProcessHandle.allProcesses()
            .filter(
                p -> {
                  String line = p.info().commandLine().orElse("");
                  return line.contains("swarmdex-supernode") && line.contains("--name " + name);
                })
            .findFirst();
    if (process.isEmpty()) {
      throw new IllegalStateException("cannot find the process of supernode " + name);
    }
    long killed = System.nanoTime();
    process.get().destroyForcibly();
    Map<String, Double> back = new HashMap<>();
    long deadline = killed + timeout.toNanos();
    while (back.size() < watched.size() && System.nanoTime() < deadline) {
      Set<String> now;
      try {
        now = pairs();
      } catch (IOException e) {
        now = Set.of();
      }
      double at = (System.nanoTime() - killed) / 1e9;
      for (String pair : watched) {
        if (now.contains(pair)) {
          back.putIfAbsent(pair, at);
        }
      }
      Thread.sleep(POLL_MILLIS);
    }
    List<Double> times = new ArrayList<>(back.values());
    times.sort(null);
    String missing =
        back.size() < watched.size() ? "not all back in " + timeout.toSeconds() + " s" : "";
    return String.format(
        Locale.ROOT,
        "%d\t%d\t%s\t%s\t%s\t%s",
        movedPeers.size(),
        watched.size(),
        times.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", times.get(0)),
        times.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", times.get(times.size() / 2)),
        back.size() < watched.size()
            ? "-"
            : String.format(Locale.ROOT, "%.1f", times.get(times.size() - 1)),
        missing);
  }
}
