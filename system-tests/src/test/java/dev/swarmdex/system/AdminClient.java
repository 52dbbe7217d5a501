package dev.swarmdex.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

/**
 * The admin API as a script uses it: log in (a session cookie and a CSRF token), then call. Any
 * answer other than 2xx fails the calling test with the server's message.
 */
final class AdminClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI server;
  private final HttpClient http;
  private String csrf;

  AdminClient(URI server) {
    this.server = server;
    this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
  }

  AdminClient login(String password) throws IOException, InterruptedException {
    JsonNode answer =
        call("POST", "login", "{\"name\":\"admin\",\"password\":\"" + password + "\"}");
    csrf = answer.get("csrfToken").asText();
    return this;
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return call("GET", path, null);
  }

  JsonNode post(String path, String json) throws IOException, InterruptedException {
    return call("POST", path, json);
  }

  JsonNode put(String path, String json) throws IOException, InterruptedException {
    return call("PUT", path, json);
  }

  HttpResponse<String> raw(String method, String path, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.resolve("/api/v1/admin/" + path))
            .method(method, json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json))
            .header("Content-Type", "application/json");
    if (csrf != null) {
      request.header("X-CSRF-Token", csrf);
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }

  private JsonNode call(String method, String path, String json)
      throws IOException, InterruptedException {
    HttpResponse<String> answer = raw(method, path, json);
    if (answer.statusCode() / 100 != 2) {
      throw new AssertionError(
          method + " " + path + " -> " + answer.statusCode() + " " + answer.body());
    }
    return JSON.readTree(answer.body());
  }
}
