package dev.swarmdex.peer;

import dev.swarmdex.cli.ConfigFlag;
import dev.swarmdex.cli.Flags;
import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.SearchQuery;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code search}: its flags, and the {@link CommandLine.SearchCommand} they give. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description = "Searches the directory at URL; prints a table, or the raw JSON with --json.",
    sortOptions = false)
final class SearchFlags implements CommandLine.Flagged {
  @Mixin ConfigFlag config = new ConfigFlag();

  @Option(names = "--server", paramLabel = "URL", description = "the directory (required)")
  String server;

  @Option(names = "--json", description = "print the directory's answer as JSON")
  boolean json;

  @Option(
      names = "--type",
      paramLabel = "T",
      description = "audio, video, image, document, archive, software or other")
  String type;

  @Option(
      names = "--min-size",
      paramLabel = "N",
      description = "smallest size in bytes (suffixes k, m, g allowed)")
  String minSize;

  @Option(
      names = "--max-size",
      paramLabel = "N",
      description = "largest size in bytes (suffixes k, m, g allowed)")
  String maxSize;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "" + SearchQuery.DEFAULT_LIMIT,
      description = "results to show (default ${DEFAULT-VALUE})")
  String limit;

  @Mixin ServerCertFlag serverCert;

  @Parameters(paramLabel = "WORDS", description = "what to search for")
  List<String> words = new ArrayList<>();

  @Override
  public CommandLine.Command command(CommandLine.Defaults defaults, String usage)
      throws UsageException {
    URI uri = CommandLine.server(server, usage);
    if (words.isEmpty()) {
      throw new UsageException("give one or more words to search for", usage);
    }
    try {
      SearchQuery query = SearchQuery.of(String.join(" ", words));
      if (type != null) {
        query = query.withType(FileType.parse(type));
      }
      query =
          query.withSize(
              CommandLine.size(minSize, "--min-size"), CommandLine.size(maxSize, "--max-size"));
      int page = (int) CommandLine.number(limit, "--limit", 1, Limits.MAX_PAGE_SIZE, usage);
      return new CommandLine.SearchCommand(uri, json, query.withPage(page, 0), serverCert.path());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), usage);
    }
  }
}
