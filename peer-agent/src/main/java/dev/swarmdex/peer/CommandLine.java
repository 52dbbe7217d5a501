package dev.swarmdex.peer;

import dev.swarmdex.peer.serve.UploadLimits;
import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses the command line into one of the {@link Command}s: pure, no I/O beyond reading the
 * environment defaults it is given.
 */
final class CommandLine {
  static final String PROGRAM = "swarmdex-peer-agent";
  static final int DEFAULT_PORT = 6346;
  static final int DEFAULT_RESCAN_SECONDS = 30;

  static final String SERVER_CERT_USAGE =
      "  --server-cert FILE  with an https:// URL, trust only the PEM certificate(s) in FILE (the\n"
          + "                   server's own, or the CA that signed it) instead of the system's\n"
          + "                   trust store; the certificate must name the URL's host either way\n";
  static final String SHARE_USAGE =
      "usage: "
          + PROGRAM
          + " share --server URL --dir DIR [--bind ADDR] [--port N] [--name NAME]"
          + " [--state DIR] [--rescan SECONDS] [--upload-slots N] [--max-upload KIBPS]"
          + " [--max-upload-per-peer KIBPS] [--server-cert FILE]\n"
          + "  Shares DIR with the directory at URL and serves it until Ctrl-C.\n"
          + "  --bind ADDR      address to listen on and call from (default 127.0.0.1)\n"
          + "  --port N         file server port, 0 for any free port (default 6346)\n"
          + "  --name NAME      display name (default: this host's name)\n"
          + "  --state DIR      identity and hash cache (default ~/.swarmdex/peer-<id of DIR>)\n"
          + "  --rescan SECONDS how often to look for changes (default 30)\n"
          + "  --upload-slots N uploads at once; others get 503 and a queue place (default 4)\n"
          + "  --max-upload KIBPS          total upload rate in KiB/s (default 0 = unlimited)\n"
          + "  --max-upload-per-peer KIBPS upload rate to one address in KiB/s (default 0)\n"
          + SERVER_CERT_USAGE;
  static final String SEARCH_USAGE =
      "usage: "
          + PROGRAM
          + " search --server URL [--json] [--type T] [--min-size N] [--max-size N]"
          + " [--limit N] WORDS...\n"
          + "  Searches the directory at URL; prints a table, or the raw JSON with --json.\n"
          + "  --type T         audio, video, image, document, archive, software or other\n"
          + "  --min-size N     smallest size in bytes (suffixes k, m, g allowed)\n"
          + "  --max-size N     largest size in bytes (suffixes k, m, g allowed)\n"
          + "  --limit N        results to show (default 50)\n"
          + SERVER_CERT_USAGE;
  static final String GET_USAGE =
      "usage: "
          + PROGRAM
          + " get [--server URL] [--state DIR] [--no-share] [-o FILE] SHA256\n"
          + "  Downloads SHA256 from every peer that shares it at once, checking every 1 MiB chunk\n"
          + "  and the whole file. Run it again to resume an interrupted download.\n"
          + "  When a 'share' agent runs on this machine, it does the download as its peer and saves\n"
          + "  the file into its shared folder (or to FILE), and shares it: the download becomes a\n"
          + "  source for others. Without a running agent, --server and -o are needed and the file\n"
          + "  is not shared.\n"
          + "  -o FILE          where to save (default: the running agent's shared folder); a FILE\n"
          + "                   outside the shared folder is not shared\n"
          + "  --no-share       do not share the download (needs -o FILE outside the shared folder)\n"
          + "  --state DIR      the state folder of the agent to use, when several run or it keeps\n"
          + "                   its state outside ~/.swarmdex (default: any agent in ~/.swarmdex)\n"
          + "  --server URL     the directory; picks the agent of that network, and is where a\n"
          + "                   download without an agent asks\n"
          + "  --bind ADDR      download here, without an agent, from local address ADDR\n"
          + "  --accept-pushes  (with --bind) firewalled sources connect to ADDR and push their\n"
          + "                   chunks here (else their directory relays them)\n"
          + SERVER_CERT_USAGE;
  static final String REPUTATION_USAGE =
      "usage: "
          + PROGRAM
          + " reputation --server URL [--state DIR | --dir DIR] [--json]\n"
          + "  Shows this peer's participation level (0-1000) as the index server at URL computes\n"
          + "  it from evidence others handed in, each factor behind it and its recent history.\n"
          + "  --state DIR      the state folder holding the peer's identity\n"
          + "  --dir DIR        the shared folder of a 'share' run with the default state folder\n"
          + "                   (~/.swarmdex/peer-<id of DIR>)\n"
          + "  --json           print the index server's answer as JSON\n"
          + SERVER_CERT_USAGE;
  static final String USAGE =
      "usage: "
          + PROGRAM
          + " <share|search|get|reputation> [options]   ("
          + PROGRAM
          + " <command> --help for details)\n";

  /** What the user asked for. */
  sealed interface Command {}

  record Help(String text) implements Command {}

  /** Sharing with {@code config}, trusting the certificates in {@code serverCert} when not null. */
  record ShareCommand(PeerAgent.Config config, Path serverCert) implements Command {}

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
      Path serverCert)
      implements Command {
    /** A download made here, without an agent, with firewalled sources relayed. */
    GetCommand(URI server, InetAddress bind, Sha256 sha256, Path out) {
      this(server, bind, sha256, out, false, false, null, null, null);
    }

    /** Whether the download is made by this process rather than handed to a running agent. */
    boolean withoutAgent() {
      return bind != null || acceptPushes;
    }
  }

  /** Reading the level of the peer whose identity is kept in {@code state}. */
  record ReputationCommand(URI server, Path state, boolean json, Path serverCert)
      implements Command {}

  /** The environment the defaults come from. */
  record Defaults(Path home, String hostName) {}

  private CommandLine() {}

  static Command parse(String[] args, Defaults defaults) throws UsageException {
    if (args.length == 0) {
      throw new UsageException("a command is required", USAGE);
    }
    List<String> rest = List.of(args).subList(1, args.length);
    return switch (args[0]) {
      case "share" -> share(rest, defaults);
      case "search" -> search(rest);
      case "get" -> get(rest, defaults);
      case "reputation" -> reputation(rest, defaults);
      case "--help", "-h", "help" ->
          new Help(USAGE + "\n" + SHARE_USAGE + SEARCH_USAGE + GET_USAGE + REPUTATION_USAGE);
      default -> throw new UsageException("unknown command '" + args[0] + "'", USAGE);
    };
  }

  /** Flags with their values, and the positional words, of one command. */
  private record Parsed(Map<String, String> flags, List<String> words, boolean help) {}

  private static Parsed split(
      List<String> args, Set<String> valued, Set<String> switches, String usage)
      throws UsageException {
    Map<String, String> flags = new LinkedHashMap<>();
    List<String> words = new ArrayList<>();
    boolean help = false;
    boolean onlyWords = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (onlyWords || !arg.startsWith("-") || arg.equals("-")) {
        words.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        onlyWords = true;
        continue;
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
        continue;
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (switches.contains(name) && value == null) {
        flags.put(name, "true");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new UsageException(name + " needs a value", usage);
          }
          value = args.get(++i);
        }
        if (flags.put(name, value) != null) {
          throw new UsageException(name + " is given twice", usage);
        }
      } else {
        throw new UsageException("unknown option '" + name + "'", usage);
      }
    }
    return new Parsed(flags, words, help);
  }

  private static Command share(List<String> args, Defaults defaults) throws UsageException {
    Parsed p =
        split(
            args,
            Set.of(
                "--server",
                "--dir",
                "--bind",
                "--port",
                "--name",
                "--state",
                "--rescan",
                "--upload-slots",
                "--max-upload",
                "--max-upload-per-peer",
                "--server-cert"),
            Set.of(),
            SHARE_USAGE);
    if (p.help()) {
      return new Help(SHARE_USAGE);
    }
    if (!p.words().isEmpty()) {
      throw new UsageException("unexpected argument '" + p.words().get(0) + "'", SHARE_USAGE);
    }
    URI server = server(p, SHARE_USAGE);
    Path dir = Path.of(required(p, "--dir", SHARE_USAGE)).toAbsolutePath().normalize();
    InetAddress bind = address(p.flags().getOrDefault("--bind", "127.0.0.1"), SHARE_USAGE);
    int port = (int) number(p.flags().get("--port"), "--port", DEFAULT_PORT, 0, 65535, SHARE_USAGE);
    String name = p.flags().getOrDefault("--name", defaultName(defaults.hostName()));
    Path state =
        p.flags().containsKey("--state")
            ? Path.of(p.flags().get("--state"))
            : defaultStateDir(defaults.home(), dir);
    long rescan =
        number(
            p.flags().get("--rescan"), "--rescan", DEFAULT_RESCAN_SECONDS, 1, 86_400, SHARE_USAGE);
    UploadLimits uploads = uploadLimits(p);
    try {
      return new ShareCommand(
          new PeerAgent.Config(
              server, dir, state, bind, port, name, Duration.ofSeconds(rescan), uploads),
          serverCert(p));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), SHARE_USAGE);
    }
  }

  private static UploadLimits uploadLimits(Parsed p) throws UsageException {
    int slots =
        (int)
            number(
                p.flags().get("--upload-slots"),
                "--upload-slots",
                UploadLimits.DEFAULT_SLOTS,
                1,
                UploadLimits.MAX_SLOTS,
                SHARE_USAGE);
    long maxKib = Long.MAX_VALUE / 1024;
    long total = number(p.flags().get("--max-upload"), "--max-upload", 0, 0, maxKib, SHARE_USAGE);
    long perPeer =
        number(
            p.flags().get("--max-upload-per-peer"),
            "--max-upload-per-peer",
            0,
            0,
            maxKib,
            SHARE_USAGE);
    return new UploadLimits(slots, total * 1024, perPeer * 1024);
  }

  private static Command search(List<String> args) throws UsageException {
    Parsed p =
        split(
            args,
            Set.of("--server", "--type", "--min-size", "--max-size", "--limit", "--server-cert"),
            Set.of("--json"),
            SEARCH_USAGE);
    if (p.help()) {
      return new Help(SEARCH_USAGE);
    }
    URI server = server(p, SEARCH_USAGE);
    if (p.words().isEmpty()) {
      throw new UsageException("give one or more words to search for", SEARCH_USAGE);
    }
    try {
      SearchQuery query = SearchQuery.of(String.join(" ", p.words()));
      if (p.flags().containsKey("--type")) {
        query = query.withType(FileType.parse(p.flags().get("--type")));
      }
      Long min = size(p.flags().get("--min-size"), "--min-size");
      Long max = size(p.flags().get("--max-size"), "--max-size");
      query = query.withSize(min, max);
      int limit =
          (int)
              number(
                  p.flags().get("--limit"),
                  "--limit",
                  SearchQuery.DEFAULT_LIMIT,
                  1,
                  Limits.MAX_PAGE_SIZE,
                  SEARCH_USAGE);
      query = query.withPage(limit, 0);
      return new SearchCommand(server, p.flags().containsKey("--json"), query, serverCert(p));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), SEARCH_USAGE);
    }
  }

  private static Command get(List<String> args, Defaults defaults) throws UsageException {
    Parsed p =
        split(
            args,
            Set.of("--server", "--bind", "-o", "--output", "--state", "--server-cert"),
            Set.of("--accept-pushes", "--no-share"),
            GET_USAGE);
    if (p.help()) {
      return new Help(GET_USAGE);
    }
    URI server = p.flags().containsKey("--server") ? server(p, GET_USAGE) : null;
    InetAddress bind =
        p.flags().containsKey("--bind") ? address(p.flags().get("--bind"), GET_USAGE) : null;
    if (p.words().size() != 1) {
      throw new UsageException("give exactly one SHA256 to download", GET_USAGE);
    }
    if (!Sha256.isValid(p.words().get(0))) {
      throw new UsageException("'" + p.words().get(0) + "' is not a sha256", GET_USAGE);
    }
    String out = p.flags().containsKey("-o") ? p.flags().get("-o") : p.flags().get("--output");
    if (out != null && out.isBlank()) {
      throw new UsageException("-o needs a FILE", GET_USAGE);
    }
    boolean acceptPushes = p.flags().containsKey("--accept-pushes");
    if (acceptPushes && (bind == null || bind.isAnyLocalAddress())) {
      throw new UsageException(
          "--accept-pushes needs --bind ADDR, where peers reach you", GET_USAGE);
    }
    boolean noShare = p.flags().containsKey("--no-share");
    if (noShare && out == null) {
      throw new UsageException("--no-share needs -o FILE: where to save it", GET_USAGE);
    }
    if ((bind != null || acceptPushes) && (server == null || out == null)) {
      throw new UsageException(
          "a download without an agent (--bind) needs --server URL and -o FILE", GET_USAGE);
    }
    String state = p.flags().get("--state");
    return new GetCommand(
        server,
        bind,
        Sha256.of(p.words().get(0)),
        out == null ? null : Path.of(out),
        acceptPushes,
        noShare,
        state == null ? null : Path.of(state),
        defaults.home().resolve(".swarmdex"),
        serverCert(p));
  }

  private static Command reputation(List<String> args, Defaults defaults) throws UsageException {
    Parsed p =
        split(
            args,
            Set.of("--server", "--state", "--dir", "--server-cert"),
            Set.of("--json"),
            REPUTATION_USAGE);
    if (p.help()) {
      return new Help(REPUTATION_USAGE);
    }
    if (!p.words().isEmpty()) {
      throw new UsageException("unexpected argument '" + p.words().get(0) + "'", REPUTATION_USAGE);
    }
    URI server = server(p, REPUTATION_USAGE);
    String state = p.flags().get("--state");
    String dir = p.flags().get("--dir");
    if ((state == null) == (dir == null)) {
      throw new UsageException(
          "give either --state DIR or --dir DIR: where the peer's identity is", REPUTATION_USAGE);
    }
    Path folder =
        state != null
            ? Path.of(state).toAbsolutePath().normalize()
            : defaultStateDir(defaults.home(), Path.of(dir).toAbsolutePath().normalize());
    return new ReputationCommand(server, folder, p.flags().containsKey("--json"), serverCert(p));
  }

  /** The {@code --server-cert} file, or null for the system trust store. */
  private static Path serverCert(Parsed p) {
    String file = p.flags().get("--server-cert");
    return file == null ? null : Path.of(file);
  }

  private static String required(Parsed p, String flag, String usage) throws UsageException {
    String value = p.flags().get(flag);
    if (value == null || value.isBlank()) {
      throw new UsageException(flag + " is required", usage);
    }
    return value;
  }

  private static URI server(Parsed p, String usage) throws UsageException {
    String text = required(p, "--server", usage);
    try {
      URI uri = new URI(text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new UsageException(
            "--server must be an http:// or https:// URL, not '" + text + "'", usage);
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new UsageException(
          "--server must be an http:// or https:// URL, not '" + text + "'", usage);
    }
  }

  private static InetAddress address(String text, String usage) throws UsageException {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new UsageException("--bind: unknown address '" + text + "'", usage);
    }
  }

  private static long number(
      String text, String flag, long fallback, long min, long max, String usage)
      throws UsageException {
    if (text == null) {
      return fallback;
    }
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
