package dev.swarmdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.server.TestCertificate;
import dev.swarmdex.protocol.PrivateFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index server's files are its owner's only: the data folder, the embedded database's folder
 * and files; and a password file others can read is refused at start.
 */
class OwnerOnlyFilesTest {
  static final String PASSWORD = "correct horse battery staple";

  @TempDir Path dir;

  static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  static Config config(Path data) {
    return Config.defaults()
        .withAddress("127.0.0.1", 0)
        .withDataDir(data)
        .withAdminPassword(PASSWORD);
  }

  @Test
  void theDataFolderAndTheDatabaseFilesAreTheOwnersOnly() throws Exception {
    Path data = dir.resolve("data");
    try (IndexServer server = IndexServer.start(config(data))) {
      assertEquals("rwx------", mode(data));
      assertEquals("rwx------", mode(data.resolve("db")));
      List<Path> files;
      try (Stream<Path> listed = Files.list(data.resolve("db"))) {
        files = listed.toList();
      }
      assertFalse(files.isEmpty());
      for (Path file : files) {
        assertEquals("rw-------", mode(file), file.toString());
      }
    }
  }

  @Test
  void aDataFolderOpenToOthersIsNarrowedOnStart() throws Exception {
    Path data = dir.resolve("data");
    try (IndexServer server = IndexServer.start(config(data))) {
      assertTrue(Files.isDirectory(data.resolve("db")));
    }
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(data.resolve("db"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Path file = data.resolve("db").resolve("swarmdex.mv.db");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    try (IndexServer server = IndexServer.start(config(data))) {
      assertEquals("rwx------", mode(data));
      assertEquals("rwx------", mode(data.resolve("db")));
      assertEquals("rw-------", mode(file));
    }
  }

  @Test
  void aPasswordFileOthersCanReadIsRefusedWithOneClearMessage() throws Exception {
    Path secret = dir.resolve("admin-password");
    Files.writeString(secret, PASSWORD);
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path data = dir.resolve("data");
    Path err = dir.resolve("stderr.txt");
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                classpath,
                IndexServerMain.class.getName(),
                "--port",
                "0",
                "--data",
                data.toString(),
                "--admin-password-file",
                secret.toString())
            .redirectError(err.toFile())
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .start();
    boolean ended = child.waitFor(60, TimeUnit.SECONDS);
    if (!ended) {
      child.destroyForcibly();
    }
    assertTrue(ended, "the server refused to start");
    assertEquals(2, child.exitValue());
    String first = Files.readAllLines(err, StandardCharsets.UTF_8).get(0);
    assertEquals(
        "error: --admin-password-file "
            + secret
            + " can be read by others (rw-r--r--); make it its owner's only: chmod 600 "
            + secret,
        first);
    assertFalse(Files.exists(data.resolve("db")), "nothing was started");

    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    assertEquals(
        PASSWORD,
        IndexServerMain.parse(new String[] {"--admin-password-file", secret.toString()}, null, null)
            .adminPassword());
  }

  @Test
  void aMetricsTokenFileOthersCanReadIsRefusedAndAShortTokenToo() throws Exception {
    Path token = Files.writeString(dir.resolve("metrics.token"), "scrape-token-0123456789\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    String[] flags = {"--metrics-token-file", token.toString()};
    assertEquals(
        "--metrics-token-file "
            + token
            + " can be read by others (rw-r--r--); make it its owner's only: chmod 600 "
            + token,
        assertThrows(
                PrivateFiles.OpenToOthers.class, () -> IndexServerMain.parse(flags, null, null))
            .getMessage());
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    assertTrue(IndexServerMain.parse(flags, null, null).metrics().needsToken());
    assertFalse(IndexServerMain.parse(new String[0], null, null).metrics().needsToken());
    Files.writeString(token, "short\n");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> IndexServerMain.parse(flags, null, null))
            .getMessage()
            .startsWith("--metrics-token-file " + token + ": a metrics token is at least 16"));
  }

  @Test
  void aTlsKeyOrKeystorePasswordOthersCanReadIsRefusedWithOneClearMessage() throws Exception {
    TestCertificate cert = TestCertificate.generate(dir, "index", "ip:127.0.0.1");
    Files.setPosixFilePermissions(cert.keyPem(), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(
        cert.passwordFile(), PosixFilePermissions.fromString("rw-rw----"));
    String[] pem = {"--tls-cert", cert.certPem().toString(), "--tls-key", cert.keyPem().toString()};
    String[] pkcs12 = {
      "--tls-keystore",
      cert.keystore().toString(),
      "--tls-keystore-password-file",
      cert.passwordFile().toString()
    };

    assertEquals(
        "--tls-key "
            + cert.keyPem()
            + " can be read by others (rw-r--r--); make it its owner's only: chmod 600 "
            + cert.keyPem(),
        assertThrows(PrivateFiles.OpenToOthers.class, () -> IndexServerMain.parse(pem, null, null))
            .getMessage());
    assertEquals(
        "--tls-keystore-password-file "
            + cert.passwordFile()
            + " can be read by others (rw-rw----); make it its owner's only: chmod 600 "
            + cert.passwordFile(),
        assertThrows(
                PrivateFiles.OpenToOthers.class, () -> IndexServerMain.parse(pkcs12, null, null))
            .getMessage());

    Files.setPosixFilePermissions(cert.keyPem(), PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(
        cert.passwordFile(), PosixFilePermissions.fromString("r--------"));
    assertEquals("https", IndexServerMain.parse(pem, null, null).scheme());
    assertEquals("https", IndexServerMain.parse(pkcs12, null, null).scheme());
  }
}
