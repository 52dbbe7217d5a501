package dev.swarmdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.server.TestCertificate;
import dev.swarmdex.engine.server.TlsIdentity;
import dev.swarmdex.index.admin.AdminHandler;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.ServerTrust;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index server serving HTTPS on a real socket: clients that trust its certificate (pinned)
 * reach it, clients that do not are refused before a byte of the API is spoken, and the admin
 * session cookie it sets is {@code Secure}.
 */
class IndexServerTlsTest {
  static final String PASSWORD = "correct horse battery staple";

  @TempDir static Path dir;
  static TestCertificate certificate;
  static IndexServer server;

  @BeforeAll
  static void startServer() throws Exception {
    certificate = TestCertificate.generate(dir.resolve("certs"), "index", "ip:127.0.0.1");
    server =
        IndexServer.start(
            Config.defaults()
                .withAddress("127.0.0.1", 0)
                .withDataDir(dir.resolve("data"))
                .withAdminPassword(PASSWORD)
                .withTls(TlsIdentity.fromPem(certificate.certPem(), certificate.keyPem())));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aClientPinningTheCertificateTalksHttps() {
    assertEquals("https", server.uri().getScheme());
    try (ApiClient api =
        ApiClient.create(server.uri(), null, ServerTrust.pinned(certificate.certPem()))) {
      assertEquals(0, api.stats().peers());
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefused() throws Exception {
    TestCertificate stranger =
        TestCertificate.generate(dir.resolve("certs"), "stranger", "ip:127.0.0.1");
    for (ServerTrust trust :
        List.of(ServerTrust.system(), ServerTrust.pinned(stranger.certPem()))) {
      try (ApiClient api = ApiClient.create(server.uri(), null, trust)) {
        ApiException refused = assertThrows(ApiException.class, api::stats, trust.toString());
        assertEquals("untrusted_certificate", refused.code(), refused.getMessage());
        assertTrue(refused.getMessage().contains("not trusted"), refused.getMessage());
      }
    }
  }

  @Test
  void plainHttpToTheTlsPortGetsNoAnswer() {
    URI plain = URI.create("http://127.0.0.1:" + server.port());
    try (ApiClient api = ApiClient.create(plain, null)) {
      assertThrows(ApiException.class, api::stats);
    }
  }

  @Test
  void aCertificateForAnotherHostIsRefusedEvenWhenPinned() throws Exception {
    // The server's certificate names 127.0.0.2 only; the client dials 127.0.0.1.
    TestCertificate elsewhere =
        TestCertificate.generate(dir.resolve("certs"), "elsewhere", "ip:127.0.0.2");
    Server other = new Server();
    ServerConnector https =
        TlsIdentity.fromPem(elsewhere.certPem(), elsewhere.keyPem()).connector(other);
    https.setHost("127.0.0.1");
    https.setPort(0);
    other.addConnector(https);
    other.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(
              org.eclipse.jetty.server.Request request,
              org.eclipse.jetty.server.Response response,
              org.eclipse.jetty.util.Callback callback) {
            response.setStatus(200);
            callback.succeeded();
            return true;
          }
        });
    other.start();
    try (ApiClient api =
        ApiClient.create(
            URI.create("https://127.0.0.1:" + https.getLocalPort()),
            null,
            ServerTrust.pinned(elsewhere.certPem()))) {
      ApiException refused = assertThrows(ApiException.class, api::stats);
      assertEquals("untrusted_certificate", refused.code(), refused.getMessage());
      assertTrue(refused.getMessage().contains("127.0.0.1"), refused.getMessage());
    } finally {
      other.stop();
    }
  }

  @Test
  void theAdminSessionCookieIsSecureOverHttps() throws Exception {
    HttpClient http = new HttpClient();
    http.setSslContextFactory(ServerTrust.pinned(certificate.certPem()).sslContextFactory());
    http.start();
    try {
      ContentResponse answer =
          http.newRequest(server.uri() + "/api/v1/admin/login")
              .method(HttpMethod.POST)
              .body(
                  new StringRequestContent(
                      "application/json", "{\"name\":\"admin\",\"password\":\"" + PASSWORD + "\"}"))
              .timeout(30, TimeUnit.SECONDS)
              .send();
      assertEquals(200, answer.getStatus(), answer.getContentAsString());
      String cookie = answer.getHeaders().get(HttpHeader.SET_COOKIE);
      assertTrue(cookie.startsWith(AdminHandler.COOKIE + "="), cookie);
      assertTrue(cookie.contains("; Secure"), cookie);
      assertTrue(cookie.contains("; HttpOnly"), cookie);
    } finally {
      http.stop();
    }
  }
}
