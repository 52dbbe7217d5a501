package dev.swarmdex.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * A program's config file: TOML whose keys are the program's long flags without their dashes
 * ({@code port = 8080}, {@code db-url}...). Its values stand in for the flags' defaults, so a flag
 * on the command line wins over the file, and an environment variable that stands for a key (such
 * as {@code SWARMDEX_DB_URL} for {@code db}) hides the file's value. An unknown key, a value that
 * is a list or table, and TOML that does not parse are refused with one line naming the file.
 *
 * <pre>
 * CommandLine cli = Flags.commandLine(new IndexServerFlags());
 * ConfigFile file = ConfigFile.install(cli, args, Path.of("/etc/swarmdex/index-server.toml"),
 *     System.getenv(), Map.of("db", "SWARMDEX_DB_URL"));
 * ParseResult parsed = Flags.parse(cli, args); // the file's values fill what args leave out
 * </pre>
 */
public final class ConfigFile {
  /** The flag that names the file. */
  public static final String FLAG = "--config";

  private static final Pattern FLAG_IN_MESSAGE = Pattern.compile("--([a-z][a-z0-9-]*)");

  private final Path path;
  private final String prefix;
  private final Map<String, String> values;

  private ConfigFile(Path path, String prefix, Map<String, String> values) {
    this.path = path;
    this.prefix = prefix;
    this.values = values;
  }

  /**
   * A config file or one of its values refused: one line, beginning {@code config PATH:}, to be
   * printed without the program's usage.
   */
  public static final class Invalid extends IllegalArgumentException {
    Invalid(Path path, String message) {
      super("config " + path + ": " + message);
    }
  }

  /**
   * Reads the file {@code args} name with {@code --config}, else {@code defaultPath} if it exists,
   * checks its keys against {@code cli}'s flags and makes its values their defaults.
   *
   * @param shadowedBy for a key, the environment variable that overrides the file's value
   * @throws Invalid when the named file is missing, does not parse, or has an unknown key
   */
  public static ConfigFile install(
      CommandLine cli,
      String[] args,
      Path defaultPath,
      Map<String, String> env,
      Map<String, String> shadowedBy) {
    return install(cli, args, defaultPath, null, Set.of(), env, shadowedBy);
  }

  /**
   * As {@link #install(CommandLine, String[], Path, Map, Map)}, the values taken from the table
   * {@code table} (a program of several commands keeps each command's keys in a table named after
   * it); the file's other top-level keys must be {@code tables}.
   */
  public static ConfigFile install(
      CommandLine cli,
      String[] args,
      Path defaultPath,
      String table,
      Set<String> tables,
      Map<String, String> env,
      Map<String, String> shadowedBy) {
    Path named = named(args);
    if (asksForHelp(args) || named == null && (defaultPath == null || !Files.exists(defaultPath))) {
      return new ConfigFile(null, "", Map.of());
    }
    Path path = named != null ? named : defaultPath;
    JsonNode root = read(path);
    if (table != null) {
      known(path, "", root, tables);
      JsonNode section = root.get(table);
      root = section == null ? TomlMapper.builder().build().createObjectNode() : section;
      if (!root.isObject()) {
        throw new Invalid(path, "\"" + table + "\" must be a table ([" + table + "])");
      }
    }
    String prefix = table == null ? "" : table + ".";
    known(path, prefix, root, keys(cli.getCommandSpec()));
    Map<String, String> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getValue().isValueNode()) {
        throw new Invalid(
            path, "key \"" + prefix + field.getKey() + "\" must be one value, not a list or table");
      }
      String envVar = shadowedBy.get(field.getKey());
      String fromEnv = envVar == null ? null : env.get(envVar);
      if (fromEnv == null || fromEnv.isBlank()) {
        values.put(field.getKey(), field.getValue().asText());
      }
    }
    ConfigFile file = new ConfigFile(path, prefix, values);
    cli.setDefaultValueProvider(file::defaultValue);
    return file;
  }

  /** The file read, or null when there was none. */
  public Path path() {
    return path;
  }

  /**
   * {@code e} (a refused value) as one line naming the config file and key when the flag its
   * message names took its value from this file; else {@code e} itself.
   */
  public IllegalArgumentException blame(IllegalArgumentException e, ParseResult parsed) {
    String message = e.getMessage();
    if (path == null || message == null || e instanceof Invalid) {
      return e;
    }
    Matcher flag = FLAG_IN_MESSAGE.matcher(message);
    while (flag.find()) {
      String key = flag.group(1);
      boolean onCommandLine =
          parsed != null && (parsed.hasMatchedOption("--" + key) || matchedBelow(parsed, key));
      if (values.containsKey(key) && !onCommandLine) {
        String value = values.get(key);
        Invalid blamed =
            new Invalid(
                path,
                message.replace("--" + key, "key \"" + prefix + key + "\"")
                    + (message.contains(value) ? "" : " (value '" + value + "')"));
        blamed.initCause(e);
        return blamed;
      }
    }
    return e;
  }

  private static boolean matchedBelow(ParseResult parsed, String key) {
    return parsed.hasSubcommand() && parsed.subcommand().hasMatchedOption("--" + key);
  }

  private String defaultValue(ArgSpec arg) {
    return arg instanceof OptionSpec option ? values.get(key(option)) : null;
  }

  private static String key(OptionSpec option) {
    return option.longestName().replaceFirst("^-+", "");
  }

  /** {@code --help} and {@code --version} answer even when the config file is broken. */
  private static boolean asksForHelp(String[] args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      if (Set.of("-h", "--help", "-V", "--version").contains(arg)) {
        return true;
      }
    }
    return false;
  }

  /** The value of {@code --config} in {@code args}, or null. */
  static Path named(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--")) {
        return null;
      }
      if (args[i].equals(FLAG) && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith(FLAG + "=")) {
        return Path.of(args[i].substring(FLAG.length() + 1));
      }
    }
    return null;
  }

  private static JsonNode read(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new Invalid(path, "no such file");
    } catch (IOException e) {
      throw new Invalid(path, "cannot read it (" + e.getMessage() + ")");
    }
    try {
      JsonNode root = TomlMapper.builder().build().readTree(bytes);
      return root == null ? TomlMapper.builder().build().createObjectNode() : root;
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null || at.getLineNr() < 1
              ? ""
              : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new Invalid(path, "not valid TOML" + where + ": " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new Invalid(path, "cannot read it (" + e.getMessage() + ")");
    }
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unreadable";
    }
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }

  private static void known(Path path, String prefix, JsonNode root, Set<String> keys) {
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!keys.contains(name)) {
        throw new Invalid(
            path,
            "unknown key \""
                + prefix
                + name
                + "\" (known: "
                + String.join(", ", new TreeSet<>(keys))
                + ")");
      }
    }
  }

  /** The keys a file for {@code spec} may hold: its long flags without dashes. */
  public static Set<String> keys(CommandSpec spec) {
    Set<String> keys = new TreeSet<>();
    for (OptionSpec option : spec.options()) {
      if (!option.usageHelp() && !option.versionHelp() && !option.longestName().equals(FLAG)) {
        keys.add(key(option));
      }
    }
    return keys;
  }
}
