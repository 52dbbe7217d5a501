package dev.swarmdex.peer;

import dev.swarmdex.cli.ConfigFlag;
import dev.swarmdex.cli.Flags;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reputation}: its flags, and the {@link CommandLine.ReputationCommand} they give. */
@Command(
    name = "reputation",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description =
        "Shows this peer's participation level (0-1000) as the index server at URL computes it"
            + " from evidence others handed in, each factor behind it and its recent history.",
    sortOptions = false)
final class ReputationFlags implements CommandLine.Flagged {
  @Mixin ConfigFlag config = new ConfigFlag();

  @Option(names = "--server", paramLabel = "URL", description = "the index server (required)")
  String server;

  @Option(
      names = "--state",
      paramLabel = "DIR",
      description = "the state folder holding the peer's identity")
  String state;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description =
          "the shared folder of a 'share' run with the default state folder"
              + " (~/.swarmdex/peer-<id of DIR>)")
  String dir;

  @Option(names = "--json", description = "print the index server's answer as JSON")
  boolean json;

  @Mixin ServerCertFlag serverCert;

  @Override
  public CommandLine.Command command(CommandLine.Defaults defaults, String usage)
      throws UsageException {
    URI uri = CommandLine.server(server, usage);
    if ((state == null) == (dir == null)) {
      throw new UsageException(
          "give either --state DIR or --dir DIR: where the peer's identity is", usage);
    }
    Path folder =
        state != null
            ? Path.of(state).toAbsolutePath().normalize()
            : CommandLine.defaultStateDir(
                defaults.home(), Path.of(dir).toAbsolutePath().normalize());
    return new CommandLine.ReputationCommand(uri, folder, json, serverCert.path());
  }
}
