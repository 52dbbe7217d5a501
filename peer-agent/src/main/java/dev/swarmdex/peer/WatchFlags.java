package dev.swarmdex.peer;

import dev.swarmdex.cli.Flags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code watch}: its flags, and the {@link CommandLine.WatchCommand} they give. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description =
        "Saved searches of the running agent: 'watch add WORDS' tells you (in the agent's log and"
            + " web UI) of every file matching WORDS published anywhere in the network from now"
            + " on; --auto-download also downloads it into the shared folder (at most 5 a"
            + " search). 'watch list' shows them and what they found; 'watch remove ID' deletes"
            + " one.",
    sortOptions = false)
final class WatchFlags implements CommandLine.Flagged {
  @Option(
      names = "--auto-download",
      description = "download what matches into the shared folder (a wishlist entry)")
  boolean autoDownload;

  @Option(
      names = "--state",
      paramLabel = "DIR",
      description = "the state folder of the agent to use, when several run")
  String state;

  @Parameters(paramLabel = "add WORDS... | list | remove ID", description = "what to do")
  List<String> words = new ArrayList<>();

  @Override
  public CommandLine.Command command(CommandLine.Defaults defaults, String usage)
      throws UsageException {
    if (words.isEmpty()) {
      throw new UsageException("say add WORDS, list or remove ID", usage);
    }
    String action = words.get(0);
    List<String> rest = words.subList(1, words.size());
    boolean fits =
        switch (action) {
          case "add" -> !rest.isEmpty();
          case "list" -> rest.isEmpty();
          case "remove" -> rest.size() == 1;
          default -> false;
        };
    if (!fits) {
      throw new UsageException("say add WORDS, list or remove ID, not '" + action + "'", usage);
    }
    if (autoDownload && !action.equals("add")) {
      throw new UsageException("--auto-download goes with add", usage);
    }
    return new CommandLine.WatchCommand(
        action,
        String.join(" ", rest),
        autoDownload,
        state == null ? null : Path.of(state),
        defaults.home().resolve(".swarmdex"));
  }
}
