package dev.swarmdex.engine.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed EC certificate made at test time with the JDK's keytool, as a PKCS#12 keystore and
 * as a PEM certificate and PKCS#8 PEM key.
 *
 * @param keystore the PKCS#12 keystore
 * @param password the keystore's (and key's) password
 * @param passwordFile a file holding the password
 * @param certPem the certificate as PEM
 * @param keyPem the private key as PKCS#8 PEM
 */
public record TestCertificate(
    Path keystore, String password, Path passwordFile, Path certPem, Path keyPem) {

  /**
   * A certificate for {@code san} (keytool syntax, e.g. {@code ip:127.0.0.1}) made in {@code dir}.
   */
  public static TestCertificate generate(Path dir, String name, String san)
      throws IOException, InterruptedException, GeneralSecurityException {
    Files.createDirectories(dir);
    Path keystore = dir.resolve(name + ".p12");
    String password = "changeit-" + name;
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + name,
                "-ext",
                "SAN=" + san,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                password,
                "-keypass",
                password)
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IOException("keytool failed: " + output);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, password.toCharArray());
    }
    Path certPem =
        Files.writeString(
            dir.resolve(name + "-cert.pem"),
            pem("CERTIFICATE", store.getCertificate("server").getEncoded()));
    Path keyPem =
        Files.writeString(
            dir.resolve(name + "-key.pem"),
            pem("PRIVATE KEY", store.getKey("server", password.toCharArray()).getEncoded()));
    Path passwordFile = Files.writeString(dir.resolve(name + ".password"), password + "\n");
    // Secrets given by flag must be their owner's only (PrivateFiles.requireOwnerOnly).
    Files.setPosixFilePermissions(keyPem, PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    return new TestCertificate(keystore, password, passwordFile, certPem, keyPem);
  }

  public static String pem(String kind, byte[] der) {
    return "-----BEGIN "
        + kind
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + kind
        + "-----\n";
  }
}
