package dev.swarmdex.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsIdentityTest {
  @TempDir static Path dir;
  static TestCertificate server;
  static TestCertificate other;

  @BeforeAll
  static void certificates() throws Exception {
    server = TestCertificate.generate(dir, "server", "ip:127.0.0.1");
    other = TestCertificate.generate(dir, "other", "ip:127.0.0.1");
  }

  @Test
  void aPemPairAndAPkcs12KeystoreServeTheSameCertificate() throws Exception {
    Certificate expected;
    try (InputStream in = Files.newInputStream(server.certPem())) {
      expected = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    assertEquals(expected, served(TlsIdentity.fromPem(server.certPem(), server.keyPem())));
    assertEquals(
        expected, served(TlsIdentity.fromPkcs12(server.keystore(), server.passwordFile())));
    assertEquals(
        expected,
        served(
            TlsIdentity.fromFlags(
                null, null, server.keystore().toString(), server.passwordFile().toString())));
    assertNull(TlsIdentity.fromFlags(null, null, null, null), "no flags: plain HTTP");
  }

  /** The certificate a TLS handshake with {@code identity}'s connector on 127.0.0.1 shows. */
  private static Certificate served(TlsIdentity identity) throws Exception {
    Server jetty = new Server();
    ServerConnector connector = identity.connector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    jetty.start();
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustingAll()}, null);
      try (SSLSocket socket =
          (SSLSocket)
              context.getSocketFactory().createSocket("127.0.0.1", connector.getLocalPort())) {
        socket.startHandshake();
        return socket.getSession().getPeerCertificates()[0];
      }
    } finally {
      jetty.stop();
    }
  }

  /** Accepts any server: the test looks at the certificate itself. */
  private static final class TrustingAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedWithOneLine() {
    TlsIdentity.UnusableFile wrong =
        assertThrows(
            TlsIdentity.UnusableFile.class,
            () -> TlsIdentity.fromPem(server.certPem(), other.keyPem()));
    assertTrue(
        wrong.getMessage().contains("is not the private key of the certificate"),
        wrong.getMessage());
    assertTrue(!wrong.getMessage().contains("\n"));
  }

  @Test
  void unreadableOrWrongFilesAreRefusedWithTheirReason() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key\n");
    assertMessage("holds no PEM private key", () -> TlsIdentity.fromPem(server.certPem(), garbage));
    assertMessage(
        "holds no PEM X.509 certificate", () -> TlsIdentity.fromPem(garbage, server.keyPem()));
    assertMessage(
        "no such file", () -> TlsIdentity.fromPem(dir.resolve("missing.pem"), server.keyPem()));
    Path pkcs1 =
        Files.writeString(
            dir.resolve("rsa.pem"), TestCertificate.pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}));
    assertMessage("openssl pkcs8 -topk8", () -> TlsIdentity.fromPem(server.certPem(), pkcs1));
    Path wrongPassword = Files.writeString(dir.resolve("wrong.password"), "nope\n");
    assertMessage(
        "cannot open --tls-keystore",
        () -> TlsIdentity.fromPkcs12(server.keystore(), wrongPassword));
    assertMessage(
        "cannot open --tls-keystore", () -> TlsIdentity.fromPkcs12(server.certPem(), "x"));
  }

  @Test
  void flagsThatDoNotGoTogetherAreUsageErrors() {
    String cert = server.certPem().toString();
    String keystore = server.keystore().toString();
    IllegalArgumentException alone =
        assertThrows(
            IllegalArgumentException.class, () -> TlsIdentity.fromFlags(cert, null, null, null));
    assertTrue(alone.getMessage().contains("go together"));
    IllegalArgumentException both =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TlsIdentity.fromFlags(
                    cert, server.keyPem().toString(), keystore, server.passwordFile().toString()));
    assertTrue(both.getMessage().contains("not both"));
  }

  private static void assertMessage(String expected, Runnable load) {
    TlsIdentity.UnusableFile refused = assertThrows(TlsIdentity.UnusableFile.class, load::run);
    assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    assertTrue(!refused.getMessage().contains("\n"), refused.getMessage());
  }
}
