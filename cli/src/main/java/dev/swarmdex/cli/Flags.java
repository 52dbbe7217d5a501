package dev.swarmdex.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * Every Swarmdex program's command line, parsed by picocli as the programs have always read theirs:
 * the flags are declared once on a command class, which also gives {@code --help} and {@code
 * --version}; a wrong flag is one line naming it.
 *
 * <pre>
 * picocli.CommandLine cli = Flags.commandLine(new IndexServerFlags());
 * ParseResult parsed = Flags.parse(cli, args); // IllegalArgumentException: "unknown option --prot"
 * if (parsed.isUsageHelpRequested()) cli.usage(System.out);
 * </pre>
 */
public final class Flags {
  private static final String VERSION = readVersion();

  private Flags() {}

  /**
   * A command line over {@code command}: no {@code @file} expansion, and a flag given twice keeps
   * its last value.
   */
  public static CommandLine commandLine(Object command) {
    return new CommandLine(command).setExpandAtFiles(false).setOverwrittenOptionsAllowed(true);
  }

  /**
   * Reads {@code args} into the command's fields.
   *
   * @throws IllegalArgumentException with one line naming the flag: {@code unknown option --x},
   *     {@code --port needs a value}, {@code --name is given twice}
   */
  public static ParseResult parse(CommandLine cli, String[] args) {
    try {
      return cli.parseArgs(args);
    } catch (CommandLine.UnmatchedArgumentException e) {
      String first = e.getUnmatched().isEmpty() ? "" : e.getUnmatched().get(0);
      throw new IllegalArgumentException(
          first.startsWith("-") ? "unknown option " + first : "unexpected argument " + first, e);
    } catch (CommandLine.MissingParameterException e) {
      throw new IllegalArgumentException(name(e.getMissing().get(0)) + " needs a value", e);
    } catch (CommandLine.OverwrittenOptionException e) {
      throw new IllegalArgumentException(name(e.getOverwritten()) + " is given twice", e);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static String name(ArgSpec arg) {
    return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
  }

  /** The Swarmdex version these classes were built as, such as {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    return VERSION;
  }

  private static String readVersion() {
    try (InputStream in = Flags.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version", "");
        if (!version.isBlank() && !version.startsWith("${")) {
          return version;
        }
      }
    } catch (IOException e) {
      // falls back below
    }
    String manifest = Flags.class.getPackage().getImplementationVersion();
    return manifest != null ? manifest : "unknown (built from source)";
  }

  /** {@code --version} of a command: its name and the Swarmdex version. */
  public static final class Version implements IVersionProvider {
    @Spec CommandSpec spec;

    @Override
    public String[] getVersion() {
      String name = spec == null ? "swarmdex" : spec.root().name();
      return new String[] {name + " " + version()};
    }
  }
}
