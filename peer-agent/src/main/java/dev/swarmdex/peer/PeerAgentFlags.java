package dev.swarmdex.peer;

import dev.swarmdex.cli.Flags;
import picocli.CommandLine.Command;

/** The peer agent's commands: {@code --help} and {@code --version} of the program as a whole. */
@Command(
    name = CommandLine.PROGRAM,
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description = "Shares a folder, searches the network and downloads from it.",
    subcommands = {
      ShareFlags.class,
      SearchFlags.class,
      GetFlags.class,
      WatchFlags.class,
      ReputationFlags.class,
      UiFlags.class
    })
final class PeerAgentFlags {}
