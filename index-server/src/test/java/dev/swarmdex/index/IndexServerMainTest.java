package dev.swarmdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.server.TestCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexServerMainTest {
  @Test
  void defaultsMatchTheReadme() {
    Config config = IndexServerMain.parse(new String[0], null);
    assertEquals("127.0.0.1", config.bind());
    assertEquals(8080, config.port());
    assertEquals(Path.of("data"), config.dataDir());
    assertNull(config.dbUrl());
    assertEquals(Duration.ofSeconds(30), config.heartbeat());
    assertEquals(Duration.ofSeconds(90), config.timeout());
  }

  @Test
  void flagsInAnyOrderAndTheDatabaseFromTheEnvironment() {
    Config config =
        IndexServerMain.parse(
            new String[] {"--timeout", "6", "--heartbeat", "2", "--port", "0", "--data", "/tmp/x"},
            "jdbc:postgresql://127.0.0.1/s");
    assertEquals(Duration.ofSeconds(2), config.heartbeat());
    assertEquals(Duration.ofSeconds(6), config.timeout());
    assertEquals(0, config.port());
    assertEquals("jdbc:postgresql://127.0.0.1/s", config.dbUrl());
    assertEquals(
        "jdbc:h2:mem:x",
        IndexServerMain.parse(new String[] {"--db", "jdbc:h2:mem:x"}, "jdbc:other").dbUrl());
  }

  @Test
  void relayFlags() {
    Config defaults = IndexServerMain.parse(new String[0], null);
    assertEquals(1024, defaults.relayKiBps());
    assertEquals(16, defaults.maxRelays());
    assertEquals(Duration.ofSeconds(20), defaults.relayWait());
    assertEquals(Duration.ofSeconds(5), defaults.relayPickup());
    assertNull(defaults.publicUrl());
    Config config =
        IndexServerMain.parse(
            new String[] {
              "--relay-rate",
              "256",
              "--max-relays",
              "3",
              "--relay-wait",
              "5",
              "--relay-pickup",
              "2",
              "--public-url",
              "http://203.0.113.5:8080"
            },
            null);
    assertEquals(256, config.relayKiBps());
    assertEquals(3, config.maxRelays());
    assertEquals(Duration.ofSeconds(5), config.relayWait());
    assertEquals(Duration.ofSeconds(2), config.relayPickup());
    assertEquals("http://203.0.113.5:8080", config.publicUrl());
    assertThrows(
        IllegalArgumentException.class,
        () -> IndexServerMain.parse(new String[] {"--relay-pickup", "0"}, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> IndexServerMain.parse(new String[] {"--relay-rate", "0"}, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> IndexServerMain.parse(new String[] {"--public-url", "ftp://x/y"}, null));
  }

  @Test
  void badFlagsAreRefusedWithTheReason() {
    assertEquals(
        "unknown option --prot",
        assertThrows(
                IllegalArgumentException.class,
                () -> IndexServerMain.parse(new String[] {"--prot", "1"}, null))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> IndexServerMain.parse(new String[] {"--port"}, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> IndexServerMain.parse(new String[] {"--port", "x"}, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> IndexServerMain.parse(new String[] {"--heartbeat", "60", "--timeout", "30"}, null));
    assertNull(IndexServerMain.parse(new String[] {"--help"}, null));
  }

  @Test
  void theWarmUpIsAFlagAndLeavesTheDataFolderAsItWas(@TempDir Path dir) throws Exception {
    picocli.CommandLine cli = IndexServerFlags.commandLine();
    Config config =
        IndexServerMain.parse(
            cli, new String[] {"--data", dir.toString()}, java.util.Map.of(), null);
    assertEquals(30_000, ((IndexServerFlags) cli.getCommand()).warmUpEntries(), "the default");
    picocli.CommandLine negative = IndexServerFlags.commandLine();
    IndexServerMain.parse(negative, new String[] {"--warm-up", "-1"}, java.util.Map.of(), null);
    assertThrows(
        IllegalArgumentException.class,
        () -> ((IndexServerFlags) negative.getCommand()).warmUpEntries());

    java.nio.file.Files.writeString(dir.resolve("kept"), "the folder's own");
    IndexServerMain.warmUp(config, 2_000);
    try (var left = java.nio.file.Files.list(dir)) {
      assertEquals(List.of(dir.resolve("kept")), left.toList(), "its catalog deleted");
    }
  }

  @Test
  void tlsFlagsServeHttpsAndPinTheSupernodesCertificate(@TempDir Path dir) throws Exception {
    TestCertificate cert = TestCertificate.generate(dir, "index", "ip:127.0.0.1");
    Config config =
        IndexServerMain.parse(
            new String[] {
              "--tls-cert", cert.certPem().toString(),
              "--tls-key", cert.keyPem().toString(),
              "--server-cert", cert.certPem().toString()
            },
            null);
    assertEquals("https", config.scheme());
    assertEquals("the certificate(s) in " + cert.certPem(), config.serverTrust().toString());
    assertEquals("http", IndexServerMain.parse(new String[0], null).scheme());
    IllegalArgumentException plainUrl =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                IndexServerMain.parse(
                    new String[] {
                      "--tls-cert", cert.certPem().toString(),
                      "--tls-key", cert.keyPem().toString(),
                      "--public-url", "http://203.0.113.5:8443"
                    },
                    null));
    assertEquals("--public-url must be https:// when the server serves TLS", plainUrl.getMessage());
  }

  @Test
  void aWrongKeyFileStopsTheServerWithOneClearLine(@TempDir Path dir) throws Exception {
    TestCertificate cert = TestCertificate.generate(dir, "index", "ip:127.0.0.1");
    TestCertificate other = TestCertificate.generate(dir, "other", "ip:127.0.0.1");
    Process main =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                IndexServerMain.class.getName(),
                "--port",
                "0",
                "--data",
                dir.resolve("data").toString(),
                "--tls-cert",
                cert.certPem().toString(),
                "--tls-key",
                other.keyPem().toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String stderr = new String(main.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(main.waitFor(60, TimeUnit.SECONDS), "exits");
    assertEquals(2, main.exitValue(), stderr);
    List<String> lines = stderr.lines().toList();
    assertEquals(1, lines.size(), stderr);
    assertTrue(
        lines.get(0).startsWith("error: --tls-key ")
            && lines.get(0).contains("is not the private key of the certificate"),
        stderr);
  }

  /** The real program on {@code flags}, its output (log and banner) merged into one stream. */
  private static Process program(String... flags) throws Exception {
    return new ProcessBuilder(RealProgram.command(flags)).redirectErrorStream(true).start();
  }

  @Test
  void theProgramWarmsUpBeforeItListensAndRefusesANegativeWarmUp(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    Process main = program("--port", "0", "--data", data.toString(), "--warm-up", "2000");
    List<String> seen = new java.util.ArrayList<>();
    try (var out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(main.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        seen.add(line);
        if (line.startsWith("Swarmdex index server on ")) {
          break;
        }
      }
    } finally {
      main.destroy();
      main.waitFor(30, TimeUnit.SECONDS);
    }
    String log = String.join("\n", seen);
    int warmed = log.indexOf("Warmed up on 2000 made-up entries");
    int listening = log.indexOf("index server listening on");
    assertTrue(warmed >= 0 && listening > warmed, "warmed up, then listened:\n" + log);
    try (var left = java.nio.file.Files.list(data)) {
      assertTrue(
          left.noneMatch(path -> path.getFileName().toString().startsWith("warm-up-")),
          "its throwaway catalog deleted");
    }

    Process refused = program("--port", "0", "--data", data.toString(), "--warm-up", "-1");
    String output = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(refused.waitFor(60, TimeUnit.SECONDS), "exits");
    assertEquals(2, refused.exitValue(), output);
    assertTrue(output.startsWith("error: --warm-up must be 0 or more, not -1"), output);
  }
}
