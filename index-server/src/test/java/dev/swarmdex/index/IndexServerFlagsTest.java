package dev.swarmdex.index;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.cli.Flags;
import dev.swarmdex.cli.ReadmeFlags;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IndexServerFlagsTest {
  @Test
  void theReadmeTableListsEveryFlag() {
    ReadmeFlags.assertTableMatches(
        "### Index server", "flag", IndexServerFlags.commandLine().getCommandSpec());
  }

  @Test
  void helpAndVersionComeFromTheDeclaration() {
    CommandLine cli = IndexServerFlags.commandLine();
    String help = cli.getUsageMessage();
    assertTrue(help.contains("--relay-pickup=SECONDS"), help);
    assertTrue(help.contains("--version"), help);
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertTrue(cli.printHelpIfRequested(Flags.parse(cli, new String[] {"--version"})));
    assertTrue(
        out.toString().startsWith("swarmdex-index-server " + Flags.version()), out.toString());
  }
}
