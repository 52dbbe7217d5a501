package dev.swarmdex.supernode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.cli.ConfigFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supernode's config file: flags and the environment's credentials win over it, unknown keys
 * stop the real program with one line, and the shipped example is accepted.
 */
class SupernodeConfigTest {
  static final Path EXAMPLE = Path.of("..", "packaging", "config", "supernode.toml");

  @TempDir Path dir;

  @Test
  void aFlagBeatsTheEnvironmentWhichBeatsTheFile() throws Exception {
    Path fileCredentials = credentials("from-file");
    Path file =
        write(
            "sn.toml",
            "index = \"http://127.0.0.1:8080\"\nport = 9101\nheartbeat = 7\ntimeout = 21\n"
                + "credentials = \""
                + fileCredentials
                + "\"\n");
    Supernode.Config fromFile = parse(Map.of(), "--config", file.toString());
    assertEquals(URI.create("http://127.0.0.1:8080"), fromFile.index());
    assertEquals(9101, fromFile.port());
    assertEquals(Duration.ofSeconds(7), fromFile.heartbeat());
    assertEquals("from-file", fromFile.credentials().peerId());

    Map<String, String> env =
        Map.of("SWARMDEX_SUPERNODE_CREDENTIALS", "{\"peerId\":\"from-env\",\"token\":\"t\"}");
    Supernode.Config fromEnv = parse(env, "--config", file.toString());
    assertEquals("from-env", fromEnv.credentials().peerId());
    assertEquals(9101, fromEnv.port());

    Supernode.Config fromFlags =
        parse(
            env,
            "--config",
            file.toString(),
            "--credentials",
            credentials("from-flag").toString(),
            "--port",
            "9102");
    assertEquals("from-flag", fromFlags.credentials().peerId());
    assertEquals(9102, fromFlags.port());
    assertEquals(Duration.ofSeconds(21), fromFlags.timeout());
  }

  @Test
  void aMissingConfigAndABadValueAreOneLine() throws Exception {
    Path missing = dir.resolve("absent.toml");
    assertEquals(
        "config " + missing + ": no such file",
        assertThrows(
                ConfigFile.Invalid.class, () -> parse(Map.of(), "--config", missing.toString()))
            .getMessage());
    Path bad = write("bad.toml", "index = \"http://127.0.0.1:8080\"\nheartbeat = \"often\"\n");
    String why =
        assertThrows(
                ConfigFile.Invalid.class,
                () ->
                    parse(
                        Map.of(),
                        "--config",
                        bad.toString(),
                        "--credentials",
                        credentials("p").toString()))
            .getMessage();
    assertEquals("config " + bad + ": key \"heartbeat\" needs a whole number, not 'often'", why);
  }

  @Test
  void anUnknownKeyStopsTheProgramWithOneLine() throws Exception {
    Path file = write("typo.toml", "indx = \"http://127.0.0.1:8080\"\n");
    Process main =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SupernodeMain.class.getName(),
                "--config",
                file.toString())
            .start();
    assertTrue(main.waitFor(60, TimeUnit.SECONDS), "the program exits");
    String stderr = new String(main.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, main.exitValue(), stderr);
    List<String> lines = stderr.lines().toList();
    assertEquals(1, lines.size(), stderr);
    assertTrue(
        lines.get(0).startsWith("swarmdex-supernode: config " + file + ": unknown key \"indx\""),
        stderr);
    assertFalse(stderr.contains("\tat "), stderr);
  }

  @Test
  void theExampleHoldsEveryKeyAndIsAccepted() throws Exception {
    String text = Files.readString(EXAMPLE);
    for (String key : ConfigFile.keys(SupernodeFlags.commandLine().getCommandSpec())) {
      assertTrue(
          Pattern.compile("(?m)^#?" + Pattern.quote(key) + " = ").matcher(text).find(),
          "the example names " + key);
    }
    // Its credentials file is the packager's to make; here one of the test's stands in.
    Supernode.Config config =
        parse(
            Map.of(),
            "--config",
            EXAMPLE.toString(),
            "--credentials",
            credentials("example").toString());
    assertEquals(URI.create("http://203.0.113.5:8080"), config.index());
    assertEquals(Path.of("/var/lib/swarmdex/supernode"), config.dataDir());
  }

  private Supernode.Config parse(Map<String, String> env, String... args) throws Exception {
    return SupernodeMain.parse(SupernodeFlags.commandLine(), args, env, null);
  }

  private Path credentials(String peerId) throws Exception {
    Path file =
        write(peerId + ".json", "{\"peerId\":\"" + peerId + "\",\"token\":\"secret-token\"}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }
}
