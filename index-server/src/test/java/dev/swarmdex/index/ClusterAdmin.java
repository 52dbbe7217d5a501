package dev.swarmdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.protocol.Json;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;

/** An admin logged in to one index server's admin API, over real HTTP. */
final class ClusterAdmin {
  private final HttpClient http =
      HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
  private final URI server;
  private String csrf;

  private ClusterAdmin(URI server) {
    this.server = server;
  }

  static ClusterAdmin login(URI server, String password) throws Exception {
    ClusterAdmin admin = new ClusterAdmin(server);
    HttpResponse<String> login =
        admin.send("POST", "login", "{\"name\":\"admin\",\"password\":\"" + password + "\"}");
    assertEquals(200, login.statusCode(), login.body());
    admin.csrf = json(login).get("csrfToken").asText();
    return admin;
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server + "/api/v1/admin/" + path))
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (csrf != null) {
      request.header("X-CSRF-Token", csrf);
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> answer) throws Exception {
    return Json.read(answer.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
  }
}
