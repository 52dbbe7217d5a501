package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.SearchQuery;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class LeanSearchClientTest {
  @Test
  void answersWithResultsAreTrueAndEmptyAnswersFalse() throws Exception {
    try (SearchApiStub server = SearchApiStub.start();
        LeanSearchClient client = LeanSearchClient.connect(server.uri())) {
      assertTrue(client.search(SearchQuery.of("debian changelog")));
      assertFalse(client.search(SearchQuery.of("missing words")));
    }
  }

  @Test
  void sendsTheRequestApiClientSends() throws Exception {
    SearchQuery query = SearchQuery.of("Beatles & Co: help!").withPage(SearchRun.LIMIT, 0);
    try (SearchApiStub server = SearchApiStub.start()) {
      try (LeanSearchClient client = LeanSearchClient.connect(server.uri())) {
        client.search(query);
      }
      try (ApiClient api = ApiClient.create(server.uri(), null)) {
        api.search(query);
      }

      List<String> requests = server.requests();
      assertEquals(2, requests.size());
      assertEquals(requests.get(1), requests.get(0), "the server must see the same request");
      assertEquals("/api/v1/search?" + query.toQueryString(), requests.get(0));
    }
  }

  @Test
  void oneConnectionServesManySearches() throws Exception {
    try (SearchApiStub server = SearchApiStub.start();
        LeanSearchClient client = LeanSearchClient.connect(server.uri())) {
      for (int i = 0; i < 200; i++) {
        assertEquals(i % 2 == 0, client.search(SearchQuery.of(i % 2 == 0 ? "found" : "missing")));
      }

      assertEquals(200, server.requests().size());
      assertEquals(1, server.connections(), "keep-alive: every search on the first connection");
    }
  }

  @Test
  void chunkedAndContentLengthAnswersFollowEachOtherOnOneConnection() throws Exception {
    try (SearchApiStub server = SearchApiStub.start();
        LeanSearchClient client = LeanSearchClient.connect(server.uri())) {
      assertTrue(head(server, "found").contains("content-length: "), "as ApiHandler answers");
      assertTrue(head(server, "found chunked").contains("transfer-encoding: chunked"));

      for (int i = 0; i < 20; i++) {
        assertTrue(client.search(SearchQuery.of("found chunked")), "chunked, search " + i);
        assertFalse(client.search(SearchQuery.of("missing chunked")), "chunked, search " + i);
        assertTrue(client.search(SearchQuery.of("found")), "content-length, search " + i);
        assertFalse(client.search(SearchQuery.of("missing")), "content-length, search " + i);
      }
      assertEquals(3, server.connections(), "two probes, then one connection for the client");
    }
  }

  @Test
  void anErrorStatusIsAnApiExceptionWithTheStatusAndTheBody() throws Exception {
    try (SearchApiStub server = SearchApiStub.start();
        LeanSearchClient client = LeanSearchClient.connect(server.uri())) {
      ApiException error =
          assertThrows(ApiException.class, () -> client.search(SearchQuery.of("bad words")));

      assertEquals(400, error.status());
      assertTrue(error.getMessage().contains("400"), error.getMessage());
      assertTrue(error.getMessage().contains("no such word"), error.getMessage());
      assertTrue(client.search(SearchQuery.of("good words")), "the connection goes on");
      assertEquals(1, server.connections());
    }
  }

  @Test
  void aServerClosingAfterEachAnswerGetsANewConnectionForEachSearch() throws Exception {
    try (SearchApiStub server = SearchApiStub.closingEach();
        LeanSearchClient client = LeanSearchClient.connect(server.uri())) {
      for (int i = 0; i < 5; i++) {
        assertTrue(client.search(SearchQuery.of("found")), "search " + i);
      }

      assertEquals(5, server.connections());
    }
  }

  @Test
  void aConnectionTheServerClosedWhileIdleIsReplacedWithoutAnError() throws Exception {
    try (SearchApiStub server = SearchApiStub.closingIdle(200);
        LeanSearchClient client = LeanSearchClient.connect(server.uri())) {
      assertTrue(client.search(SearchQuery.of("found")));
      Thread.sleep(600);

      assertTrue(client.search(SearchQuery.of("found")), "sent again on a new connection");
      assertEquals(2, server.connections());
    }
  }

  @Test
  void anUnreachableServerIsAnApiException() throws Exception {
    URI gone;
    try (SearchApiStub server = SearchApiStub.start()) {
      gone = server.uri();
    }

    ApiException error = assertThrows(ApiException.class, () -> LeanSearchClient.connect(gone));
    assertEquals(0, error.status());
  }

  /** The status line and headers, in lower case, of the stub's answer to {@code q}. */
  private static String head(SearchApiStub server, String q) throws Exception {
    try (Socket socket = new Socket(server.uri().getHost(), server.uri().getPort())) {
      OutputStream out = socket.getOutputStream();
      String request =
          "GET /api/v1/search?"
              + SearchQuery.of(q).toQueryString()
              + " HTTP/1.1\r\nHost: x\r\n\r\n";
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (head.indexOf("\r\n\r\n") < 0) {
        int b = in.read();
        assertTrue(b >= 0, "the answer ended within its head");
        head.append((char) b);
      }
      return head.toString().toLowerCase(Locale.ROOT);
    }
  }
}
