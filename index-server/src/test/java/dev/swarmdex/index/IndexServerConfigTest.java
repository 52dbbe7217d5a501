package dev.swarmdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.cli.ConfigFile;
import dev.swarmdex.engine.directory.StoreException;
import dev.swarmdex.index.store.Database;
import dev.swarmdex.index.store.PostgresSchemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index server's config file: a flag beats the environment, which beats the file, which beats
 * the defaults; an unknown key, a bad value and a missing file stop the real program with one line
 * naming the file (and the key); the database password comes from an owner-only file.
 */
class IndexServerConfigTest {
  static final Path EXAMPLE = Path.of("..", "packaging", "config", "index-server.toml");

  @TempDir Path dir;

  @Test
  void aFlagBeatsTheEnvironmentWhichBeatsTheFile() throws Exception {
    Path file =
        write(
            "index.toml",
            "port = 9001\nheartbeat = 10\ntimeout = 40\ndb = \"jdbc:h2:mem:from-file\"\n");
    Config fromFile = parse(Map.of(), "--config", file.toString());
    assertEquals(9001, fromFile.port());
    assertEquals(Duration.ofSeconds(10), fromFile.heartbeat());
    assertEquals(Duration.ofSeconds(40), fromFile.timeout());
    assertEquals("jdbc:h2:mem:from-file", fromFile.dbUrl());
    assertEquals(100, fromFile.rateLimit(), "a key the file leaves out keeps its default");

    Map<String, String> env = Map.of("SWARMDEX_DB_URL", "jdbc:h2:mem:from-env");
    Config fromEnv = parse(env, "--config", file.toString());
    assertEquals("jdbc:h2:mem:from-env", fromEnv.dbUrl());
    assertEquals(9001, fromEnv.port());

    Config fromFlags =
        parse(env, "--config", file.toString(), "--db", "jdbc:h2:mem:from-flag", "--port", "9002");
    assertEquals("jdbc:h2:mem:from-flag", fromFlags.dbUrl());
    assertEquals(9002, fromFlags.port());
    assertEquals(Duration.ofSeconds(10), fromFlags.heartbeat());
  }

  @Test
  void theDefaultPathIsReadOnlyWhenItExists() throws Exception {
    Path missing = dir.resolve("absent.toml");
    assertEquals(8080, IndexServerMain.parse(cli(), new String[0], Map.of(), missing).port());
    Path present = write("present.toml", "port = 9003\n");
    assertEquals(9003, IndexServerMain.parse(cli(), new String[0], Map.of(), present).port());
    ConfigFile.Invalid named =
        assertThrows(
            ConfigFile.Invalid.class, () -> parse(Map.of(), "--config", missing.toString()));
    assertEquals("config " + missing + ": no such file", named.getMessage());
  }

  @Test
  void anUnknownKeyStopsTheProgramWithOneLine() throws Exception {
    Path file = write("typo.toml", "prot = 8080\n");
    String line = failedStart(file);
    assertTrue(
        line.startsWith(
            "swarmdex-index-server: config " + file + ": unknown key \"prot\" (known: "),
        line);
    assertTrue(line.contains(" port, "), line);
  }

  @Test
  void aBadValueStopsTheProgramNamingTheKey() throws Exception {
    Path file = write("bad.toml", "port = \"eighty\"\n");
    assertEquals(
        "swarmdex-index-server: config "
            + file
            + ": key \"port\" needs a whole number, not 'eighty'",
        failedStart(file));
    Path list = write("list.toml", "bind = [\"127.0.0.1\"]\n");
    assertEquals(
        "swarmdex-index-server: config "
            + list
            + ": key \"bind\" must be one value, not a list or table",
        failedStart(list));
    Path broken = write("broken.toml", "port = = 1\n");
    assertTrue(
        failedStart(broken)
            .startsWith("swarmdex-index-server: config " + broken + ": not valid TOML"));
  }

  @Test
  void theDatabasePasswordComesFromAnOwnerOnlyFile() throws Exception {
    Path secret = write("db-password", "s3cret-pass\n");
    Path file = write("db.toml", "db-password-file = \"" + secret + "\"\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    ConfigFile.Invalid open =
        assertThrows(ConfigFile.Invalid.class, () -> parse(Map.of(), "--config", file.toString()));
    assertTrue(open.getMessage().startsWith("config " + file + ": key \"db-password-file\" "));
    assertTrue(open.getMessage().contains("chmod 600 " + secret), open.getMessage());

    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Config config = parse(Map.of(), "--config", file.toString());
    assertEquals("s3cret-pass", config.dbPassword());
    assertFalse(config.toString().contains("s3cret"), config.toString());

    // The password is the one the database is opened with: a wrong one is refused.
    String url = "jdbc:h2:mem:config-password;DB_CLOSE_DELAY=-1";
    try (Database first = Database.open(url, config.dbPassword())) {
      assertNotNull(first.peers());
      assertThrows(StoreException.class, () -> Database.open(url, "wrong").close());
      Database.open(url, config.dbPassword()).close();
    }
  }

  @Test
  void theIndexServerLogsInToPostgresWithThePasswordFromItsFile() throws Exception {
    PostgresSchemas postgres = PostgresSchemas.probe();
    String withPassword = postgres.fresh();
    try {
      Matcher password = Pattern.compile("password=([^&]*)").matcher(withPassword);
      assertTrue(password.find(), "the test server's URL names its password");
      String url = withPassword.replaceFirst("password=[^&]*&?", "");
      Path secret = write("pg-password", password.group(1) + "\n");
      Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
      Path file =
          write(
              "pg.toml",
              "port = 0\ndata = \""
                  + dir.resolve("pg-data")
                  + "\"\ndb = \""
                  + url
                  + "\"\ndb-password-file = \""
                  + secret
                  + "\"\n");
      Config config = parse(Map.of(), "--config", file.toString());
      assertFalse(config.dbUrl().contains("password"), config.dbUrl());
      try (IndexServer server = IndexServer.start(config)) {
        assertNotNull(server.uri());
      }
      // The real program, given a wrong password: one line, exit status 1.
      Files.writeString(secret, "not-the-password");
      Process main = program(file, "--data", dir.resolve("pg-data").toString());
      assertTrue(main.waitFor(60, TimeUnit.SECONDS), "the program exits");
      String stderr = new String(main.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(1, main.exitValue(), stderr);
      List<String> lines = stderr.lines().filter(line -> !line.contains(" INFO ")).toList();
      assertEquals(1, lines.size(), stderr);
      assertTrue(lines.get(0).startsWith("error: cannot open or migrate jdbc:postgresql:"), stderr);
      assertTrue(lines.get(0).contains("password authentication failed"), stderr);
    } finally {
      postgres.drop(withPassword);
    }
  }

  @Test
  void theExampleHoldsEveryKeyAndIsAccepted() throws Exception {
    String text = Files.readString(EXAMPLE);
    for (String key : ConfigFile.keys(cli().getCommandSpec())) {
      assertTrue(
          Pattern.compile("(?m)^#?" + Pattern.quote(key) + " = ").matcher(text).find(),
          "the example names " + key);
    }
    Config config = parse(Map.of(), "--config", EXAMPLE.toString());
    assertEquals(Path.of("/var/lib/swarmdex/index"), config.dataDir());
    assertNull(config.dbUrl());
  }

  private Config parse(Map<String, String> env, String... args) {
    return IndexServerMain.parse(cli(), args, env, null);
  }

  private static picocli.CommandLine cli() {
    return IndexServerFlags.commandLine();
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  /** Starts the real program on {@code config}: its one line on stderr, after exit status 2. */
  private String failedStart(Path config) throws Exception {
    Process main = program(config, "--data", dir.resolve("data").toString());
    assertTrue(main.waitFor(60, TimeUnit.SECONDS), "the program exits");
    String stderr = new String(main.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, main.exitValue(), stderr);
    List<String> lines = stderr.lines().toList();
    assertEquals(1, lines.size(), stderr);
    return lines.get(0);
  }

  private static Process program(Path config, String... flags) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("--config", config.toString()));
    args.addAll(List.of(flags));
    return new ProcessBuilder(RealProgram.command(args.toArray(String[]::new))).start();
  }
}
