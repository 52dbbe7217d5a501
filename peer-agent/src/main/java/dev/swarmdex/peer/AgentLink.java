package dev.swarmdex.peer;

import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The {@code get} command's line to a peer agent running on this machine ({@link LocalControl}):
 * found through the {@value LocalControl#FILE} in the agent's state folder.
 */
final class AgentLink {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Path stateDir;
  private final LocalControl.Endpoint endpoint;
  private final HttpClient http;

  private AgentLink(Path stateDir, LocalControl.Endpoint endpoint, HttpClient http) {
    this.stateDir = stateDir;
    this.endpoint = endpoint;
    this.http = http;
  }

  Path stateDir() {
    return stateDir;
  }

  Path shareDir() {
    return Path.of(endpoint.shareDir());
  }

  /**
   * The agents that answer now: the one with state folder {@code state} when it is given, else any
   * in a folder below {@code agentsHome} (where agents keep their state by default); only those of
   * the directory {@code server} when it is not null.
   */
  static List<AgentLink> find(Path agentsHome, Path state, URI server) {
    List<Path> folders = new ArrayList<>();
    if (state != null) {
      folders.add(state.toAbsolutePath().normalize());
    } else if (agentsHome != null && Files.isDirectory(agentsHome)) {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(agentsHome)) {
        for (Path child : children) {
          if (Files.isDirectory(child) && folders.size() < 256) {
            folders.add(child);
          }
        }
      } catch (IOException e) {
        // No readable agents' folder: no agents.
      }
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    List<AgentLink> found = new ArrayList<>();
    for (Path folder : folders) {
      Path file = folder.resolve(LocalControl.FILE);
      if (!Files.isRegularFile(file)) {
        continue;
      }
      LocalControl.Endpoint endpoint;
      try {
        endpoint = Json.readAnswer(Files.readAllBytes(file), LocalControl.Endpoint.class);
      } catch (IOException | RuntimeException e) {
        continue;
      }
      if (server != null && !sameServer(server, endpoint.server())) {
        continue;
      }
      AgentLink link = new AgentLink(folder, endpoint, http);
      if (link.provesItsSecret()) {
        found.add(link);
      }
    }
    return found;
  }

  /**
   * Whether what listens at the endpoint's port is the agent that wrote it: it must answer a fresh
   * nonce with the HMAC of the secret. A file left by a killed agent may name a port another
   * program has taken since; the secret is never sent there.
   */
  private boolean provesItsSecret() {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    HttpRequest hello =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + endpoint.port() + "/control/v1/hello?nonce=" + nonce))
            .timeout(TIMEOUT)
            .GET()
            .build();
    try {
      HttpResponse<byte[]> response = http.send(hello, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        return false;
      }
      String proof = Json.readAnswer(response.body(), LocalControl.Hello.class).proof();
      String expected = LocalControl.proof(endpoint.token(), nonce);
      return proof != null
          && MessageDigest.isEqual(
              proof.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return false; // nothing answers there, or not an agent
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean sameServer(URI wanted, String agents) {
    return strip(wanted.toString()).equals(strip(agents));
  }

  private static String strip(String uri) {
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  /** Hands the download of {@code sha256} to the agent; {@code out} null saves into its share. */
  LocalControl.Status order(Sha256 sha256, Path out, Duration patience) throws IOException {
    Map<String, Object> order = new java.util.LinkedHashMap<>();
    order.put("sha256", sha256.hex());
    order.put("out", out == null ? null : out.toAbsolutePath().normalize().toString());
    order.put("patienceSeconds", patience.toSeconds());
    byte[] body = Json.write(order);
    return Json.readAnswer(call("POST", "downloads", body), LocalControl.Status.class);
  }

  /** Where the download of {@code sha256} stands. */
  LocalControl.Status poll(Sha256 sha256) throws IOException {
    return Json.readAnswer(
        call("GET", "downloads/" + sha256.hex(), null), LocalControl.Status.class);
  }

  byte[] call(String method, String path, byte[] body) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + endpoint.port() + "/control/v1/" + path))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + endpoint.token());
    if (body != null) {
      request
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() >= 300) {
      String why;
      try {
        why = Json.readAnswer(response.body(), ErrorBody.class).error();
      } catch (RuntimeException e) {
        why = "HTTP " + response.statusCode();
      }
      throw new IOException("the peer agent answered: " + why);
    }
    return response.body();
  }
}
