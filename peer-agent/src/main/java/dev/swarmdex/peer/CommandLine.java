package dev.swarmdex.peer;

import dev.swarmdex.cli.ConfigFile;
import dev.swarmdex.cli.Flags;
import dev.swarmdex.cli.Logs;
import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ParseResult;

/**
 * Parses the command line into one of the {@link Command}s: pure, no I/O beyond reading the
 * environment defaults it is given. The flags are declared once, with picocli, by {@link
 * PeerAgentFlags} and a class per command ({@link ShareFlags}, {@link SearchFlags}, {@link
 * GetFlags}, {@link ReputationFlags}), which also give {@code --help} and {@code --version}.
 */
final class CommandLine {
  static final String PROGRAM = "swarmdex-peer-agent";
  static final int DEFAULT_PORT = 6346;
  static final int DEFAULT_RESCAN_SECONDS = 30;

  /**
   * The config file's name, under {@code $XDG_CONFIG_HOME/swarmdex} or {@code ~/.config/swarmdex}.
   */
  static final String CONFIG_NAME = "peer-agent.toml";

  /** What the user asked for. */
  sealed interface Command {}

  record Help(String text) implements Command {}

  /**
   * Sharing with {@code config}, trusting the certificates in {@code serverCert} when not null,
   * running up to {@code downloadsAtOnce} downloads at once, with the web UI on {@code
   * uiBind}:{@code uiPort}, logging in {@code logFormat}.
   */
  record ShareCommand(
      PeerAgentConfig config,
      Path serverCert,
      int downloadsAtOnce,
      InetAddress uiBind,
      int uiPort,
      Logs.Format logFormat)
      implements Command {}

  /** Printing the web UI's URL of the agent with state folder {@code state}. */
  record UiCommand(Path state) implements Command {}

  record SearchCommand(URI server, boolean json, SearchQuery query, Path serverCert)
      implements Command {}

  /**
   * A download. {@code server}, {@code out} and {@code state} may be null; {@code agentsHome} is
   * where running agents are looked for when {@code state} is not given. With {@code bind} set the
   * download is made here, without an agent.
   */
  record GetCommand(
      URI server,
      InetAddress bind,
      Sha256 sha256,
      Path out,
      boolean acceptPushes,
      boolean noShare,
      Path state,
      Path agentsHome,
      Path serverCert,
      Duration patience,
      URI linkDirectory)
      implements Command {
    /** A download made here, without an agent, with firewalled sources relayed. */
    GetCommand(URI server, InetAddress bind, Sha256 sha256, Path out) {
      this(
          server,
          bind,
          sha256,
          out,
          false,
          false,
          null,
          null,
          null,
          Downloader.DEFAULT_PATIENCE,
          null);
    }

    /** Where a download made here asks for sources: {@code --server}, else a magnet's directory. */
    URI directory() {
      return server != null ? server : linkDirectory;
    }

    /** Whether the download is made by this process rather than handed to a running agent. */
    boolean withoutAgent() {
      return bind != null || acceptPushes;
    }
  }

  /** {@code watch add|list|remove}: what to do, its words or id, and which agent. */
  record WatchCommand(
      String action, String argument, boolean autoDownload, Path state, Path agentsHome)
      implements Command {}

  /** Reading the level of the peer whose identity is kept in {@code state}. */
  record ReputationCommand(URI server, Path state, boolean json, Path serverCert)
      implements Command {}

  /**
   * The environment the defaults come from: the home folder, the host's name, and the config file
   * read when {@code --config} names none (if it exists).
   */
  record Defaults(Path home, String hostName, Path config) {
    /** The config file at its usual place under {@code home}. */
    Defaults(Path home, String hostName) {
      this(home, hostName, home.resolve(".config").resolve("swarmdex").resolve(CONFIG_NAME));
    }
  }

  /** A command's flags, read into what the user asked for; {@code usage} is its help text. */
  interface Flagged {
    Command command(Defaults defaults, String usage) throws UsageException;
  }

  private CommandLine() {}

  /** The program's command line, its commands under it, as picocli reads them. */
  static picocli.CommandLine commandLine() {
    return Flags.commandLine(new PeerAgentFlags()).setOverwrittenOptionsAllowed(false);
  }

  /** The help text of {@code command} ({@code share}, {@code get}, ...). */
  static String usage(String command) {
    return commandLine().getSubcommands().get(command).getUsageMessage();
  }

  static Command parse(String[] args, Defaults defaults) throws UsageException {
    picocli.CommandLine cli = commandLine();
    String usage = cli.getUsageMessage();
    if (args.length == 0) {
      throw new UsageException("a command is required", usage);
    }
    picocli.CommandLine named = cli.getSubcommands().get(args[0]);
    if (args[0].equals("help")) {
      return new Help(everyUsage(cli));
    }
    if (named == null && !args[0].startsWith("-")) {
      throw new UsageException("unknown command '" + args[0] + "'", usage);
    }
    ConfigFile file = null;
    ParseResult parsed;
    try {
      if (named != null) {
        // Each command's keys are in the table named after it: [share], [get], ...
        file =
            ConfigFile.install(
                named,
                args,
                defaults.config(),
                args[0],
                cli.getSubcommands().keySet(),
                Map.of(),
                Map.of());
      }
      parsed = Flags.parse(cli, args);
    } catch (ConfigFile.Invalid e) {
      throw new UsageException(e.getMessage(), "");
    } catch (IllegalArgumentException e) {
      // A value picocli cannot convert (a boolean key such as json = "yes") came from the file.
      if (file != null
          && e.getMessage().startsWith("Invalid value for option")
          && file.blame(e, null) instanceof ConfigFile.Invalid blamed) {
        throw new UsageException(blamed.getMessage(), "");
      }
      throw new UsageException(e.getMessage(), named == null ? usage : named.getUsageMessage());
    }
    if (!parsed.hasSubcommand()) {
      if (parsed.isVersionHelpRequested()) {
        return new Help(version(cli));
      }
      if (parsed.isUsageHelpRequested()) {
        return new Help(everyUsage(cli));
      }
      throw new UsageException("a command is required", usage);
    }
    picocli.CommandLine command = parsed.subcommand().commandSpec().commandLine();
    if (parsed.subcommand().isUsageHelpRequested()) {
      return new Help(command.getUsageMessage());
    }
    if (parsed.subcommand().isVersionHelpRequested()) {
      return new Help(version(command));
    }
    try {
      return command.<Flagged>getCommand().command(defaults, command.getUsageMessage());
    } catch (UsageException e) {
      // A value the config file gave is the file's fault: one line naming its key.
      IllegalArgumentException blamed =
          file == null ? null : file.blame(new IllegalArgumentException(e.getMessage()), parsed);
      if (blamed instanceof ConfigFile.Invalid) {
        throw new UsageException(blamed.getMessage(), "");
      }
      throw e;
    }
  }

  private static String version(picocli.CommandLine cli) {
    java.io.StringWriter text = new java.io.StringWriter();
    cli.printVersionHelp(new java.io.PrintWriter(text, true));
    return text.toString();
  }

  private static String everyUsage(picocli.CommandLine cli) {
    StringBuilder text = new StringBuilder(cli.getUsageMessage());
    for (picocli.CommandLine command : cli.getSubcommands().values()) {
      text.append('\n').append(command.getUsageMessage());
    }
    return text.toString();
  }

  static String required(String value, String flag, String usage) throws UsageException {
    if (value == null || value.isBlank()) {
      throw new UsageException(flag + " is required", usage);
    }
    return value;
  }

  /** The {@code --server} URL, which must be given and be http:// or https://. */
  static URI server(String text, String usage) throws UsageException {
    required(text, "--server", usage);
    try {
      URI uri = new URI(text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new UsageException(
        "--server must be an http:// or https:// URL, not '" + text + "'", usage);
  }

  static InetAddress address(String text, String usage) throws UsageException {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new UsageException("--bind: unknown address '" + text + "'", usage);
    }
  }

  static long number(String text, String flag, long min, long max, String usage)
      throws UsageException {
    try {
      long value = Long.parseLong(text.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(flag + " must be a number from " + min + " to " + max, usage);
  }

  /** A size in bytes, with an optional k, m or g suffix (powers of 1024). */
  static Long size(String text, String flag) {
    if (text == null) {
      return null;
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g")) {
      unit =
          switch (t.charAt(t.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            default -> 1L << 30;
          };
      t = t.substring(0, t.length() - 1);
    }
    try {
      long value = Long.parseLong(t);
      if (value >= 0 && value <= Limits.MAX_FILE_SIZE / unit) {
        return value * unit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + " must be a size in bytes, like 700m");
  }

  static String defaultName(String hostName) {
    String name = hostName == null || hostName.isBlank() ? "peer" : hostName.strip();
    return name.length() > Limits.MAX_PEER_NAME ? name.substring(0, Limits.MAX_PEER_NAME) : name;
  }

  /** {@code HOME/.swarmdex/peer-<first 12 hex digits of the SHA-256 of the absolute DIR>}. */
  static Path defaultStateDir(Path home, Path dir) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(dir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      String id = HexFormat.of().formatHex(digest).substring(0, 12);
      return home.resolve(".swarmdex").resolve("peer-" + id);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
