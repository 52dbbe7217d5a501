package dev.swarmdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class ConfigFileTest {
  @Command(name = "demo")
  static final class Demo {
    @Mixin ConfigFlag config = new ConfigFlag();

    @Option(names = "--port", defaultValue = "80")
    String port;

    @Option(names = "--verbose")
    boolean verbose;

    @Option(names = "--db")
    String db;

    @Option(names = "--version", versionHelp = true)
    boolean version;
  }

  @TempDir Path dir;

  @Test
  void theFileFillsWhatFlagsAndTheEnvironmentLeaveOut() throws Exception {
    Path file =
        Files.writeString(dir.resolve("demo.toml"), "port = 81\nverbose = true\ndb = \"file\"\n");
    Demo demo = parse(Map.of(), "--config=" + file);
    assertEquals("81", demo.port);
    assertTrue(demo.verbose);
    assertEquals("file", demo.db);
    assertEquals(null, parse(Map.of("DB", "env"), "--config", file.toString()).db);
    assertEquals("82", parse(Map.of(), "--config", file.toString(), "--port", "82").port);
    assertEquals("80", parse(Map.of()).port, "no file: the declared default");
  }

  @Test
  void brokenTomlNamesTheLine() throws Exception {
    Path file = Files.writeString(dir.resolve("broken.toml"), "port = 81\nport = = 2\n");
    String why =
        assertThrows(ConfigFile.Invalid.class, () -> parse(Map.of(), "--config", file.toString()))
            .getMessage();
    assertTrue(why.startsWith("config " + file + ": not valid TOML at line 2"), why);
  }

  @Test
  void helpAndVersionAnswerDespiteABrokenFile() throws Exception {
    Path file = Files.writeString(dir.resolve("broken.toml"), "prot = 1\n");
    assertEquals("80", parse(Map.of(), "--config", file.toString(), "--version").port);
  }

  private Demo parse(Map<String, String> env, String... args) {
    CommandLine cli = Flags.commandLine(new Demo());
    ConfigFile.install(cli, args, null, env, Map.of("db", "DB"));
    Flags.parse(cli, args);
    return cli.getCommand();
  }
}
