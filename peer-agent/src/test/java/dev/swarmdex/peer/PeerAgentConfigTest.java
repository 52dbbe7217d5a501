package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.cli.ConfigFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's config file: each command reads its own table, flags win over it, the usual path is
 * read when it exists, and unknown keys and bad values are one line naming the key.
 */
class PeerAgentConfigTest {
  static final Path EXAMPLE = Path.of("..", "packaging", "config", "peer-agent.toml");

  @TempDir Path dir;

  @Test
  void shareReadsItsTableUnderItsFlags() throws Exception {
    Path file =
        write(
            "agent.toml",
            "[share]\nserver = \"http://127.0.0.1:8080\"\ndir = \"/srv/music\"\nport = 7000\n"
                + "rescan = 10\n\n[search]\nlimit = 5\njson = true\n");
    PeerAgentConfig fromFile = share(defaults(null), "--config", file.toString()).config();
    assertEquals(URI.create("http://127.0.0.1:8080"), fromFile.server());
    assertEquals(7000, fromFile.port());
    assertEquals(Duration.ofSeconds(10), fromFile.rescanInterval());

    PeerAgentConfig flagged =
        share(defaults(null), "--config", file.toString(), "--port", "7001").config();
    assertEquals(7001, flagged.port());
    assertEquals(Duration.ofSeconds(10), flagged.rescanInterval());

    // The usual path, without --config.
    PeerAgentConfig usual = share(defaults(file)).config();
    assertEquals(7000, usual.port());

    CommandLine.SearchCommand search =
        assertInstanceOf(
            CommandLine.SearchCommand.class,
            CommandLine.parse(
                new String[] {"search", "--server", "http://h:1", "beatles"}, defaults(file)));
    assertTrue(search.json());
    assertEquals(5, search.query().limit());
  }

  @Test
  void unknownKeysAndBadValuesAreOneLine() throws Exception {
    Path typo = write("typo.toml", "[share]\nprot = 7000\n");
    String line = failed("share", "--config", typo.toString(), "--server", "http://h:1");
    assertTrue(
        line.startsWith(
            "swarmdex-peer-agent: config " + typo + ": unknown key \"share.prot\" (known: "),
        line);
    Path table = write("table.toml", "[sahre]\nport = 7000\n");
    assertEquals(
        "swarmdex-peer-agent: config "
            + table
            + ": unknown key \"sahre\" (known: get, reputation, search, share, ui, watch)",
        failed("share", "--config", table.toString()));
    Path bad =
        write("bad.toml", "[share]\nserver = \"http://h:1\"\ndir = \"/srv\"\nport = \"x\"\n");
    assertEquals(
        "swarmdex-peer-agent: config "
            + bad
            + ": key \"share.port\" must be a number from 0 to 65535 (value 'x')",
        failed("share", "--config", bad.toString()));
    Path yes = write("yes.toml", "[search]\njson = \"maybe\"\n");
    String notBoolean = failed("search", "--config", yes.toString(), "--server", "http://h:1", "x");
    assertTrue(
        notBoolean.startsWith("swarmdex-peer-agent: config " + yes + ": ")
            && notBoolean.contains("key \"search.json\"")
            && notBoolean.contains("'maybe' is not a boolean"),
        notBoolean);
    Path missing = dir.resolve("absent.toml");
    assertEquals(
        "swarmdex-peer-agent: config " + missing + ": no such file",
        failed("get", "--config", missing.toString(), "ab".repeat(32)));
  }

  @Test
  void theExampleHoldsEveryKeyAndIsAccepted() throws Exception {
    String text = Files.readString(EXAMPLE);
    picocli.CommandLine cli = CommandLine.commandLine();
    for (String command : cli.getSubcommands().keySet()) {
      int at = text.indexOf("[" + command + "]");
      assertTrue(at >= 0, "the example has a [" + command + "] table");
      int end = text.indexOf("\n[", at + 1);
      String table = text.substring(at, end < 0 ? text.length() : end);
      for (String key : ConfigFile.keys(cli.getSubcommands().get(command).getCommandSpec())) {
        assertTrue(
            Pattern.compile("(?m)^#?" + Pattern.quote(key) + " = ").matcher(table).find(),
            "the example's [" + command + "] names " + key);
      }
    }
    CommandLine.ShareCommand share = share(defaults(EXAMPLE));
    assertEquals(Path.of("/var/lib/swarmdex/share"), share.config().shareDir());
    assertEquals(URI.create("http://127.0.0.1:8080"), share.config().server());
  }

  private CommandLine.ShareCommand share(CommandLine.Defaults defaults, String... flags)
      throws Exception {
    String[] args = new String[flags.length + 1];
    args[0] = "share";
    System.arraycopy(flags, 0, args, 1, flags.length);
    return assertInstanceOf(CommandLine.ShareCommand.class, CommandLine.parse(args, defaults));
  }

  private CommandLine.Defaults defaults(Path config) {
    return new CommandLine.Defaults(
        dir.resolve("home"), "annbox", config != null ? config : dir.resolve("none.toml"));
  }

  /** Runs the program's command line: its exit status is 2 and its error is this one line. */
  private static String failed(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        PeerAgentMain.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, status, stderr);
    List<String> lines = stderr.lines().toList();
    assertEquals(1, lines.size(), stderr);
    return lines.get(0);
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }
}
