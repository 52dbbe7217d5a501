package dev.swarmdex.system.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent UI's API is its owner's only: without the key's cookie every call is 401 JSON, a wrong
 * key is 401, a change without the CSRF token (what a cross-site form or fetch sends) is 403 and
 * changes nothing, and bad input is a 4xx with a JSON body, never a 500.
 */
class AgentUiApiTest {
  @TempDir static Path root;
  static AgentUiNetwork live;
  static final HttpClient http = HttpClient.newHttpClient();
  static String cookie;
  static String csrf;

  record Error(String error, String code) {}

  @BeforeAll
  static void start() throws Exception {
    Path seed = root.resolve("seed");
    LiveNetwork.writeFile(seed, "Feeling Good.mp3", 100_000);
    live = AgentUiNetwork.start(root, seed);
    HttpResponse<String> login = send("GET", live.ui.url().toString(), null, Map.of());
    assertEquals(303, login.statusCode(), login.body());
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(setCookie.contains("HttpOnly"), setCookie);
    assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
    cookie = setCookie.substring(0, setCookie.indexOf(';'));
    HttpResponse<String> session = send("GET", "/api/session", null, Map.of("Cookie", cookie));
    assertEquals(200, session.statusCode(), session.body());
    csrf = (String) Json.read(session.body().getBytes(), Map.class).get("csrfToken");
  }

  @AfterAll
  static void stop() {
    if (live != null) {
      live.close();
    }
  }

  static HttpResponse<String> send(
      String method, String path, String body, Map<String, String> headers) throws Exception {
    URI uri = path.startsWith("http") ? URI.create(path) : live.uiBase().resolve(path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static Error error(HttpResponse<String> response) {
    assertEquals(
        "application/json", response.headers().firstValue("Content-Type").orElse(""), "JSON");
    return Json.read(response.body().getBytes(), Error.class);
  }

  @Test
  void withoutTheKeyEveryCallIs401Json() throws Exception {
    for (String path : new String[] {"/api/session", "/api/transfers", "/api/search?q=x"}) {
      HttpResponse<String> response = send("GET", path, null, Map.of());
      assertEquals(401, response.statusCode(), path);
      assertEquals("unauthorized", error(response).code(), path);
    }
    HttpResponse<String> forged =
        send("GET", "/api/transfers", null, Map.of("Cookie", "swarmdex_agent=guess"));
    assertEquals(401, forged.statusCode());
  }

  @Test
  void aWrongKeyIs401AndSetsNoCookie() throws Exception {
    HttpResponse<String> wrong = send("GET", "/login?key=not-the-key", null, Map.of());
    assertEquals(401, wrong.statusCode());
    assertEquals("unauthorized", error(wrong).code());
    assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty());
    assertEquals(401, send("GET", "/login", null, Map.of()).statusCode());
  }

  @Test
  void aCrossSitePostWithoutTheCsrfTokenIs403AndQueuesNothing() throws Exception {
    String order = "{\"sha256\":\"" + "ab".repeat(32) + "\"}";
    HttpResponse<String> forged =
        send(
            "POST",
            "/api/transfers",
            order,
            Map.of(
                "Cookie", cookie, "Origin", "http://evil.example", "Content-Type", "text/plain"));
    assertEquals(403, forged.statusCode(), forged.body());
    assertEquals("csrf", error(forged).code());
    HttpResponse<String> wrongToken =
        send("POST", "/api/transfers", order, Map.of("Cookie", cookie, "X-CSRF-Token", "nope"));
    assertEquals(403, wrongToken.statusCode());
    HttpResponse<String> list = send("GET", "/api/transfers", null, Map.of("Cookie", cookie));
    assertTrue(list.body().contains("\"transfers\":[]"), "nothing queued: " + list.body());
  }

  @Test
  void badInputIsA4xxWithAJsonBody() throws Exception {
    Map<String, String> owner = Map.of("Cookie", cookie, "X-CSRF-Token", csrf);
    String[][] cases = {
      {"POST", "/api/transfers", "{not json", "400"},
      {"POST", "/api/transfers", "{\"sha256\":\"xyz\"}", "400"},
      {"POST", "/api/transfers", "{\"magnet\":\"magnet:?xt=urn:btih:abc\"}", "400"},
      {"POST", "/api/transfers", "{\"sha256\":\"" + "ab".repeat(32) + "\",\"size\":-5}", "400"},
      {"POST", "/api/transfers", "{\"x\":\"" + "a".repeat(9000) + "\"}", "413"},
      {"POST", "/api/transfers/" + "cd".repeat(32) + "/pause", null, "404"},
      {"POST", "/api/transfers/nothex/pause", null, "400"},
      {"DELETE", "/api/transfers/" + "cd".repeat(32), null, "404"},
      {"GET", "/api/search", null, "400"},
      {"GET", "/api/search?q=song&type=weird", null, "400"},
      {"GET", "/api/search?q=song&min=-1", null, "400"},
      {"PUT", "/api/transfers", "{}", "405"},
      {"GET", "/api/nothing", null, "404"},
    };
    for (String[] c : cases) {
      HttpResponse<String> response = send(c[0], c[1], c[2], owner);
      assertEquals(
          Integer.parseInt(c[3]),
          response.statusCode(),
          c[0] + " " + c[1] + ": " + response.body());
      assertTrue(error(response).error().length() > 0, c[1]);
    }
  }

  @Test
  void theKeyIsKeptOwnerOnlyAndTheSameAfterARestart() throws Exception {
    Path file = root.resolve("state-mine").resolve("ui.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    URI before = live.ui.url();
    live.restartMine();
    assertEquals(before, live.ui.url(), "a bookmarked link keeps working");
    assertEquals(
        200,
        send("GET", "/api/transfers", null, Map.of("Cookie", cookie)).statusCode(),
        "and so does the browser's cookie");
  }
}
