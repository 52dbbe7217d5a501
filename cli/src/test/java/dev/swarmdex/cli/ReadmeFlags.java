package dev.swarmdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flags a table of the repository's README.md names, checked against a program's picocli
 * declaration: every flag in the table is declared and every declared one (but {@code --help} and
 * {@code --version}) is in the table.
 *
 * <pre>
 * ReadmeFlags.assertTableMatches("### Index server", "flag", IndexServerFlags.commandLine().getCommandSpec());
 * </pre>
 */
public final class ReadmeFlags {
  /** The README from a module's folder, surefire's working directory. */
  static final Path README = Path.of("..", "README.md");

  private static final Pattern CODE = Pattern.compile("`([^`]*)`");
  private static final Pattern FLAG = Pattern.compile("(?<![\\w-])(--?[a-z][a-z0-9-]*)");

  private ReadmeFlags() {}

  /**
   * The flags in the first column of the first table after {@code heading} whose first header cell
   * is {@code column}.
   */
  public static Set<String> table(String heading, String column) {
    if (!Files.isReadable(README)) {
      throw new AssertionError(
          "README.md not found at " + README.toAbsolutePath().normalize() + ": run from a module");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(README);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + README, e);
    }
    int at = lines.indexOf(heading);
    assertTrue(at >= 0, "README.md has no heading '" + heading + "'");
    int row = at + 1;
    while (row < lines.size() && !lines.get(row).startsWith("| " + column + " |")) {
      assertTrue(
          !lines.get(row).startsWith("#") || lines.get(row).startsWith("####"),
          "README.md has no '" + column + "' table under '" + heading + "'");
      row++;
    }
    assertTrue(row < lines.size(), "README.md has no '" + column + "' table under " + heading);
    Set<String> flags = new TreeSet<>();
    for (row += 2; row < lines.size() && lines.get(row).startsWith("|"); row++) {
      // A pipe escaped as \| belongs to the cell, not its border.
      String first = lines.get(row).split("(?<!\\\\)\\|")[1];
      Matcher code = CODE.matcher(first);
      while (code.find()) {
        Matcher flag = FLAG.matcher(code.group(1));
        while (flag.find()) {
          flags.add(flag.group(1));
        }
      }
    }
    return flags;
  }

  /** The options {@code spec} declares, by their longest names, but help and version. */
  public static Set<String> declared(CommandSpec spec) {
    Set<String> names = new TreeSet<>();
    for (OptionSpec option : spec.options()) {
      if (!option.usageHelp() && !option.versionHelp()) {
        names.add(option.longestName());
      }
    }
    return names;
  }

  /** The table after {@code heading} names exactly the options {@code spec} declares. */
  public static void assertTableMatches(String heading, String column, CommandSpec spec) {
    Set<String> inTable = table(heading, column);
    Set<String> aliases = new TreeSet<>();
    for (OptionSpec option : spec.options()) {
      for (String name : option.names()) {
        if (!name.equals(option.longestName())) {
          aliases.add(name);
        }
      }
    }
    Set<String> shown = new TreeSet<>(inTable);
    shown.removeAll(aliases);
    shown.addAll(resolveAliases(inTable, spec));
    assertEquals(
        declared(spec),
        shown,
        "the README table under '" + heading + "' and " + spec.qualifiedName() + "'s flags differ");
  }

  /** A table may name an option by a shorter alias, such as {@code -o} for {@code --output}. */
  private static Set<String> resolveAliases(Set<String> inTable, CommandSpec spec) {
    Set<String> longest = new TreeSet<>();
    for (String name : inTable) {
      OptionSpec option = spec.findOption(name);
      if (option != null && !option.longestName().equals(name)) {
        longest.add(option.longestName());
      }
    }
    return longest;
  }
}
