package dev.swarmdex.supernode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.server.TlsIdentity;
import dev.swarmdex.protocol.PrivateFiles;
import dev.swarmdex.protocol.ServerTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupernodeMainTest {
  private static final String CREDENTIALS =
      "{\"peerId\":\"p0123456789abcdef01\",\"token\":\"secret\"}";

  @Test
  void readsFlagsAndCredentialsFromAFileOrTheEnvironment(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("sn.json"), CREDENTIALS);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Supernode.Config config =
        SupernodeMain.parse(
            new String[] {
              "--index",
              "http://10.0.0.1:8080",
              "--port",
              "0",
              "--credentials",
              file.toString(),
              "--name",
              "sn1"
            },
            null);
    assertEquals("http://10.0.0.1:8080", config.index().toString());
    assertEquals("p0123456789abcdef01", config.credentials().peerId());
    assertEquals(0, config.port());
    assertEquals(Duration.ofSeconds(5), config.heartbeat());
    assertEquals(
        "secret",
        SupernodeMain.parse(new String[] {"--index", "http://x:1", "--name", "a"}, CREDENTIALS)
            .credentials()
            .token());
    assertTrue(!config.credentials().toString().contains("secret"), "the token never shows");
    assertEquals(1024 * 1024L, config.relay().bytesPerSecond());
    Supernode.Config relaying =
        SupernodeMain.parse(
            new String[] {
              "--index",
              "http://x:1",
              "--name",
              "a",
              "--relay-rate",
              "64",
              "--max-relays",
              "2",
              "--relay-wait",
              "7"
            },
            CREDENTIALS);
    assertEquals(64 * 1024L, relaying.relay().bytesPerSecond());
    assertEquals(2, relaying.relay().maxRelays());
    assertEquals(Duration.ofSeconds(7), relaying.relay().patience());
    assertEquals(2, relaying.relay().maxRelaysPerAddress(), "never more per address than in all");
    assertEquals(null, config.publicUrl(), "no public address unless told");
    assertEquals(4, config.relay().maxRelaysPerAddress());
    assertEquals(Duration.ofSeconds(5), config.relay().pickup());
  }

  @Test
  void takesThePublicAddressItsFirewalledLeavesAreRelayedAt() throws Exception {
    Supernode.Config config =
        SupernodeMain.parse(
            new String[] {
              "--index",
              "http://x:1",
              "--name",
              "a",
              "--bind",
              "0.0.0.0",
              "--public-url",
              "http://203.0.113.9:8081",
              "--max-relays-per-ip",
              "3",
              "--relay-min-rate",
              "2048",
              "--relay-pickup",
              "3"
            },
            CREDENTIALS);
    assertEquals("http://203.0.113.9:8081", config.publicUrl());
    assertEquals(3, config.relay().maxRelaysPerAddress());
    assertEquals(2048, config.relay().minBytesPerSecond());
    assertEquals(Duration.ofSeconds(3), config.relay().pickup());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SupernodeMain.parse(
                new String[] {"--index", "http://x:1", "--public-url", "203.0.113.9:8081"},
                CREDENTIALS));
  }

  @Test
  void refusesWhatWouldNotWork() throws Exception {
    assertNull(SupernodeMain.parse(new String[] {"--help"}, null));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> SupernodeMain.parse(new String[] {"--port", "1"}, CREDENTIALS))
            .getMessage()
            .contains("--index"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> SupernodeMain.parse(new String[] {"--index", "http://x:1"}, null))
            .getMessage()
            .contains("credentials"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SupernodeMain.parse(
                new String[] {"--index", "http://x:1", "--bogus", "1"}, CREDENTIALS));
    assertThrows(
        IllegalArgumentException.class,
        () -> SupernodeMain.parse(new String[] {"--index", "http://x:1"}, "{\"peerId\":\"\"}"));
  }

  @Test
  void tlsFlagsMustGoTogetherAndNameUsableFiles(@TempDir Path dir) throws Exception {
    Supernode.Config plain =
        SupernodeMain.parse(new String[] {"--index", "https://x:1", "--name", "a"}, CREDENTIALS);
    assertNull(plain.tls(), "plain HTTP unless a certificate is given");
    assertSame(ServerTrust.system(), plain.trust(), "the system trust store by default");
    IllegalArgumentException alone =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SupernodeMain.parse(
                    new String[] {"--index", "https://x:1", "--tls-cert", "c.pem"}, CREDENTIALS));
    assertTrue(alone.getMessage().contains("go together"), alone.getMessage());
    Path missing = dir.resolve("missing.pem");
    TlsIdentity.UnusableFile unusable =
        assertThrows(
            TlsIdentity.UnusableFile.class,
            () ->
                SupernodeMain.parse(
                    new String[] {
                      "--index",
                      "https://x:1",
                      "--tls-cert",
                      missing.toString(),
                      "--tls-key",
                      missing.toString()
                    },
                    CREDENTIALS));
    assertEquals("cannot read --tls-cert " + missing + ": no such file", unusable.getMessage());
    Path notACert = Files.writeString(dir.resolve("not.pem"), "hello");
    assertTrue(
        assertThrows(
                TlsIdentity.UnusableFile.class,
                () ->
                    SupernodeMain.parse(
                        new String[] {
                          "--index", "https://x:1", "--server-cert", notACert.toString()
                        },
                        CREDENTIALS))
            .getMessage()
            .startsWith("--server-cert: no X.509 certificate in " + notACert));
  }

  @Test
  void credentialsOthersCanReadAreRefusedWithOneClearLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("sn.json"), CREDENTIALS);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    String[] args = {"--index", "http://x:1", "--name", "a", "--credentials", file.toString()};

    PrivateFiles.OpenToOthers refused =
        assertThrows(PrivateFiles.OpenToOthers.class, () -> SupernodeMain.parse(args, null));
    assertEquals(
        "--credentials "
            + file
            + " can be read by others (rw-r--r--); make it its owner's only: chmod 600 "
            + file,
        refused.getMessage());

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertEquals("p0123456789abcdef01", SupernodeMain.parse(args, null).credentials().peerId());
  }
}
