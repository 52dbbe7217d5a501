package dev.swarmdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
  void aPemPairAndAPkcs12KeystoreLoadTheSameCertificate() {
    TlsIdentity pem = TlsIdentity.fromPem(server.certPem(), server.keyPem());
    TlsIdentity p12 = TlsIdentity.fromPkcs12(server.keystore(), server.passwordFile());
    assertEquals(pem.certificate(), p12.certificate());
    assertEquals(
        pem.certificate(),
        TlsIdentity.fromFlags(
                null, null, server.keystore().toString(), server.passwordFile().toString())
            .certificate());
    assertNull(TlsIdentity.fromFlags(null, null, null, null), "no flags: plain HTTP");
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
