package dev.swarmdex.peer;

import dev.swarmdex.cli.ConfigFlag;
import dev.swarmdex.cli.Flags;
import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.protocol.Magnet;
import dev.swarmdex.protocol.Sha256;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code get}: its flags, and the {@link CommandLine.GetCommand} they give. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description = {
      "Downloads SHA256 from every peer that shares it at once, checking every 1 MiB chunk and"
          + " the whole file. Run it again to resume an interrupted download.",
      "When a 'share' agent runs on this machine, it does the download as its peer and saves the"
          + " file into its shared folder (or to FILE), and shares it: the download becomes a"
          + " source for others. Without a running agent, --server and -o are needed and the file"
          + " is not shared."
    },
    sortOptions = false)
final class GetFlags implements CommandLine.Flagged {
  @Mixin ConfigFlag config = new ConfigFlag();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description =
          "where to save (default: the running agent's shared folder); a FILE outside the shared"
              + " folder is not shared")
  String out;

  @Option(
      names = "--no-share",
      description = "do not share the download (needs -o FILE outside the shared folder)")
  boolean noShare;

  @Option(
      names = "--state",
      paramLabel = "DIR",
      description =
          "the state folder of the agent to use, when several run or it keeps its state outside"
              + " ~/.swarmdex (default: any agent in ~/.swarmdex)")
  String state;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "the directory; picks the agent of that network, and is where a download without an"
              + " agent asks")
  String server;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      description = "download here, without an agent, from local address ADDR")
  String bind;

  @Option(
      names = "--accept-pushes",
      description =
          "(with --bind) firewalled sources connect to ADDR and push their chunks here (else"
              + " their directory relays them)")
  boolean acceptPushes;

  @Option(
      names = "--patience",
      paramLabel = "SECONDS",
      description =
          "when no source works (the last one died), go on looking for sources, and retrying those"
              + " the directory still lists, for SECONDS before giving up (default: 300)")
  long patience = Downloader.DEFAULT_PATIENCE.toSeconds();

  @Mixin ServerCertFlag serverCert;

  @Parameters(
      paramLabel = "SHA256|MAGNET",
      description =
          "the content to download: its sha256, or a magnet link"
              + " (magnet:?xt=urn:sha256:HEX...; its xs names the directory to ask)")
  List<String> words = new ArrayList<>();

  @Override
  public CommandLine.Command command(CommandLine.Defaults defaults, String usage)
      throws UsageException {
    URI uri = server != null ? CommandLine.server(server, usage) : null;
    InetAddress address = bind != null ? CommandLine.address(bind, usage) : null;
    if (words.size() != 1) {
      throw new UsageException("give exactly one SHA256 or magnet link to download", usage);
    }
    Magnet link = link(words.get(0), usage);
    if (out != null && out.isBlank()) {
      throw new UsageException("-o needs a FILE", usage);
    }
    if (acceptPushes && (address == null || address.isAnyLocalAddress())) {
      throw new UsageException("--accept-pushes needs --bind ADDR, where peers reach you", usage);
    }
    if (patience < 0) {
      throw new UsageException("--patience needs SECONDS, 0 or more", usage);
    }
    if (noShare && out == null) {
      throw new UsageException("--no-share needs -o FILE: where to save it", usage);
    }
    if ((address != null || acceptPushes)
        && ((uri == null && link.directory() == null) || out == null)) {
      throw new UsageException(
          "a download without an agent (--bind) needs --server URL and -o FILE", usage);
    }
    return new CommandLine.GetCommand(
        uri,
        address,
        link.sha256(),
        out == null ? null : Path.of(out),
        acceptPushes,
        noShare,
        state == null ? null : Path.of(state),
        defaults.home().resolve(".swarmdex"),
        serverCert.path(),
        Duration.ofSeconds(patience),
        link.directory());
  }

  /** A SHA256, or a magnet link read strictly (a bad one is a usage error saying what is wrong). */
  private static Magnet link(String word, String usage) throws UsageException {
    if (Magnet.looksLikeOne(word)) {
      try {
        return Magnet.parse(word);
      } catch (IllegalArgumentException e) {
        throw new UsageException("not a usable magnet link: " + e.getMessage(), usage);
      }
    }
    if (!Sha256.isValid(word)) {
      throw new UsageException("'" + word + "' is not a sha256 or a magnet link", usage);
    }
    return new Magnet(Sha256.of(word), null, null, null);
  }
}
