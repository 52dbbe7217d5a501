package dev.swarmdex.peer;

import dev.swarmdex.cli.ConfigFlag;
import dev.swarmdex.cli.Flags;
import dev.swarmdex.cli.LogFormatFlag;
import dev.swarmdex.cli.Logs;
import dev.swarmdex.peer.serve.UploadLimits;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code share}: its flags, and the {@link CommandLine.ShareCommand} they give. */
@Command(
    name = "share",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description = "Shares DIR with the directory at URL and serves it until Ctrl-C.",
    sortOptions = false)
final class ShareFlags implements CommandLine.Flagged {
  @Mixin ConfigFlag config = new ConfigFlag();

  @Option(names = "--server", paramLabel = "URL", description = "the directory (required)")
  String server;

  @Option(names = "--dir", paramLabel = "DIR", description = "the folder to share (required)")
  String dir;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description = "address to listen on and call from (default ${DEFAULT-VALUE})")
  String bind;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "" + CommandLine.DEFAULT_PORT,
      description = "file server port, 0 for any free port (default ${DEFAULT-VALUE})")
  String port;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "display name (default: this host's name)")
  String name;

  @Option(
      names = "--state",
      paramLabel = "DIR",
      description = "identity and hash cache (default ~/.swarmdex/peer-<id of DIR>)")
  String state;

  @Option(
      names = "--rescan",
      paramLabel = "SECONDS",
      defaultValue = "" + CommandLine.DEFAULT_RESCAN_SECONDS,
      description = "how often to look for changes (default ${DEFAULT-VALUE})")
  String rescan;

  @Option(
      names = "--upload-slots",
      paramLabel = "N",
      defaultValue = "" + UploadLimits.DEFAULT_SLOTS,
      description = "uploads at once; others get 503 and a queue place (default ${DEFAULT-VALUE})")
  String uploadSlots;

  @Option(
      names = "--max-upload",
      paramLabel = "KIBPS",
      defaultValue = "0",
      description = "total upload rate in KiB/s (default ${DEFAULT-VALUE} = unlimited)")
  String maxUpload;

  @Option(
      names = "--max-upload-per-peer",
      paramLabel = "KIBPS",
      defaultValue = "0",
      description = "upload rate to one address in KiB/s (default ${DEFAULT-VALUE} = unlimited)")
  String maxUploadPerPeer;

  @Option(
      names = "--downloads-at-once",
      paramLabel = "N",
      defaultValue = "" + TransferQueue.DEFAULT_AT_ONCE,
      description =
          "downloads that run at once; the rest wait in the queue (default ${DEFAULT-VALUE})")
  String downloadsAtOnce;

  @Option(
      names = "--ui-bind",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description = "address the web UI listens on (default ${DEFAULT-VALUE}: this machine only)")
  String uiBind;

  @Option(
      names = "--ui-port",
      paramLabel = "N",
      defaultValue = "" + AgentUi.DEFAULT_PORT,
      description = "the web UI's port, 0 for any free port (default ${DEFAULT-VALUE})")
  String uiPort;

  @Mixin ServerCertFlag serverCert;

  @Mixin LogFormatFlag log = new LogFormatFlag();

  @Override
  public CommandLine.Command command(CommandLine.Defaults defaults, String usage)
      throws UsageException {
    URI uri = CommandLine.server(server, usage);
    Path folder = Path.of(CommandLine.required(dir, "--dir", usage)).toAbsolutePath().normalize();
    InetAddress address = CommandLine.address(bind, usage);
    int number = (int) CommandLine.number(port, "--port", 0, 65535, usage);
    Path stateDir =
        state != null ? Path.of(state) : CommandLine.defaultStateDir(defaults.home(), folder);
    long every = CommandLine.number(rescan, "--rescan", 1, 86_400, usage);
    int slots =
        (int) CommandLine.number(uploadSlots, "--upload-slots", 1, UploadLimits.MAX_SLOTS, usage);
    long maxKib = Long.MAX_VALUE / 1024;
    long total = CommandLine.number(maxUpload, "--max-upload", 0, maxKib, usage);
    long perPeer = CommandLine.number(maxUploadPerPeer, "--max-upload-per-peer", 0, maxKib, usage);
    int atOnce =
        (int)
            CommandLine.number(
                downloadsAtOnce, "--downloads-at-once", 1, TransferQueue.MAX_AT_ONCE, usage);
    InetAddress ui = CommandLine.address(uiBind, usage);
    int uiNumber = (int) CommandLine.number(uiPort, "--ui-port", 0, 65535, usage);
    try {
      Logs.Format format = Logs.Format.of(log.format);
      return new CommandLine.ShareCommand(
          new PeerAgentConfig(
              uri,
              folder,
              stateDir,
              address,
              number,
              name != null ? name : CommandLine.defaultName(defaults.hostName()),
              Duration.ofSeconds(every),
              new UploadLimits(slots, total * 1024, perPeer * 1024)),
          serverCert.path(),
          atOnce,
          ui,
          uiNumber,
          format);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), usage);
    }
  }
}
