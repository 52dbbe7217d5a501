package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.cli.Flags;
import dev.swarmdex.cli.ReadmeFlags;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;

class PeerAgentFlagsTest {
  private static CommandSpec spec(String command) {
    return CommandLine.commandLine().getSubcommands().get(command).getCommandSpec();
  }

  @Test
  void theReadmeTablesListEveryFlagOfEveryCommand() {
    ReadmeFlags.assertTableMatches("### Peer agent", "flag", spec("share"));
    ReadmeFlags.assertTableMatches("### Peer agent", "`search` flag", spec("search"));
    ReadmeFlags.assertTableMatches("### Peer agent", "`get` flag", spec("get"));
    ReadmeFlags.assertTableMatches("### Peer agent", "`reputation` flag", spec("reputation"));
    ReadmeFlags.assertTableMatches("### Peer agent", "`ui` flag", spec("ui"));
    ReadmeFlags.assertTableMatches("### Peer agent", "`watch` flag", spec("watch"));
    assertEquals(
        6, CommandLine.commandLine().getSubcommands().size(), "a new command needs its table");
  }

  @Test
  void versionComesFromTheDeclaration() throws Exception {
    CommandLine.Defaults defaults = new CommandLine.Defaults(Path.of("/home/ann"), "annbox");
    for (String[] args : new String[][] {{"--version"}, {"get", "-V"}}) {
      String text =
          assertInstanceOf(CommandLine.Help.class, CommandLine.parse(args, defaults)).text();
      assertEquals("swarmdex-peer-agent " + Flags.version() + "\n", text);
    }
    String help =
        assertInstanceOf(CommandLine.Help.class, CommandLine.parse(new String[] {"help"}, defaults))
            .text();
    assertTrue(help.contains("usage: swarmdex-peer-agent reputation"), help);
  }
}
