package dev.swarmdex.bench;

import dev.swarmdex.cli.Flags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * The bench's commands, each with its flags declared once in its own class: {@code --help} and
 * {@code --version} come from these declarations. Also the value readers they share.
 */
@Command(
    name = "swarmdex-bench",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description = "Benchmarks: drives a running index server, or simulates, and prints figures.",
    subcommands = {
      PublishSearchCommand.class,
      FloodCommand.class,
      RouteCommand.class,
      WatchCommand.class,
      FetchCommand.class,
      ServeStaticCommand.class,
      TransferReportCommand.class,
      ChurnCommand.class,
      SearchAbCommand.class
    })
final class BenchFlags {
  /** A command whose flags are read. */
  interface Run {
    /**
     * The run the flags ask for.
     *
     * @throws IllegalArgumentException naming the flag whose value is wrong
     */
    Task prepare();
  }

  /** A run ready to start: returns the exit status. */
  interface Task {
    int run();
  }

  static int integer(String flag, String value) {
    try {
      return Integer.parseInt(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a whole number, not " + value);
    }
  }

  static long wholeNumber(String flag, String value) {
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a whole number, not " + value);
    }
  }

  static List<Integer> integers(String flag, String values) {
    List<Integer> out = new ArrayList<>();
    for (String v : values.split(",")) {
      out.add(integer(flag, v.trim()));
    }
    return out;
  }

  static boolean bool(String flag, String value) {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(flag + " must be true or false, not " + value);
    };
  }

  static Path path(String value) {
    return value == null ? null : Path.of(value);
  }

  /** Appends {@code text} to the Markdown file {@code file}, made if absent. */
  static void append(Path file, String text) throws IOException {
    Files.writeString(
        file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
