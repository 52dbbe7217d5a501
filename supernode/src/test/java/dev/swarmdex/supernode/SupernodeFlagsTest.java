package dev.swarmdex.supernode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.cli.Flags;
import dev.swarmdex.cli.ReadmeFlags;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SupernodeFlagsTest {
  @Test
  void theReadmeTableListsEveryFlag() {
    ReadmeFlags.assertTableMatches(
        "### Supernodes and the admin API (KaZaA mode)",
        "supernode flag",
        SupernodeFlags.commandLine().getCommandSpec());
  }

  @Test
  void helpAndVersionComeFromTheDeclaration() {
    CommandLine cli = SupernodeFlags.commandLine();
    String help = cli.getUsageMessage();
    assertTrue(help.contains("--index=URL"), help);
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertTrue(cli.printHelpIfRequested(Flags.parse(cli, new String[] {"-V"})));
    assertTrue(out.toString().startsWith("swarmdex-supernode " + Flags.version()), out.toString());
  }
}
