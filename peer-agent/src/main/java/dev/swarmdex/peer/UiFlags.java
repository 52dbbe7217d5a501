package dev.swarmdex.peer;

import dev.swarmdex.cli.ConfigFlag;
import dev.swarmdex.cli.Flags;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ui}: its flags, and the {@link CommandLine.UiCommand} they give. */
@Command(
    name = "ui",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description =
        "Prints the URL (with its secret key) that opens the web UI of the agent sharing DIR.",
    sortOptions = false)
final class UiFlags implements CommandLine.Flagged {
  @Mixin ConfigFlag config = new ConfigFlag();

  @Option(names = "--state", paramLabel = "DIR", description = "the running agent's state folder")
  String state;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description =
          "the shared folder of a 'share' run with the default state folder"
              + " (~/.swarmdex/peer-<id of DIR>)")
  String dir;

  @Override
  public CommandLine.Command command(CommandLine.Defaults defaults, String usage)
      throws UsageException {
    if ((state == null) == (dir == null)) {
      throw new UsageException("give either --state DIR or --dir DIR: which agent's UI", usage);
    }
    return new CommandLine.UiCommand(
        state != null
            ? Path.of(state).toAbsolutePath().normalize()
            : CommandLine.defaultStateDir(
                defaults.home(), Path.of(dir).toAbsolutePath().normalize()));
  }
}
