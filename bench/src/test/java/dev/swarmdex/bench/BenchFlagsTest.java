package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.cli.Flags;
import dev.swarmdex.cli.ReadmeFlags;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchFlagsTest {
  @Test
  void theReadmeTablesListEveryFlagOfEveryCommand() {
    Map<String, CommandLine> commands = BenchMain.commandLine().getSubcommands();
    assertEquals(9, commands.size(), "a new command needs its README table");
    for (Map.Entry<String, CommandLine> command : commands.entrySet()) {
      ReadmeFlags.assertTableMatches(
          "### Benchmarks", "`" + command.getKey() + "` flag", command.getValue().getCommandSpec());
    }
  }

  @Test
  void versionComesFromTheDeclaration() {
    CommandLine cli = BenchMain.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertTrue(cli.printHelpIfRequested(Flags.parse(cli, new String[] {"flood", "--version"})));
    assertEquals("swarmdex-bench " + Flags.version(), out.toString().strip());
  }
}
