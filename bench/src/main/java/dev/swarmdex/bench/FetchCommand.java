package dev.swarmdex.bench;

import dev.swarmdex.cli.Flags;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fetch}: times the peer agent's Downloader, as {@code get} runs it, in this JVM. */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description = "Times the peer agent's Downloader, as `get` runs it, in this JVM.",
    sortOptions = false)
final class FetchCommand implements BenchFlags.Run {
  @Option(names = "--server", paramLabel = "URL", description = "the directory (required)")
  String server;

  @Option(
      names = "--sha256",
      paramLabel = "HEX",
      description = "the content to download (required)")
  String sha256;

  @Option(names = "--out", paramLabel = "FILE", description = "where to save it (required)")
  String out;

  @Option(
      names = "--samples",
      paramLabel = "FILE",
      description = "where each timed download is appended (required)")
  String samples;

  @Option(
      names = "--sources",
      paramLabel = "K",
      defaultValue = "1",
      description = "wait until the directory lists exactly K sources (default ${DEFAULT-VALUE})")
  String sources;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "3",
      description = "downloads, each timed and appended to --samples (default ${DEFAULT-VALUE})")
  String rounds;

  @Option(
      names = "--client",
      paramLabel = "NAME",
      defaultValue = TransferReport.SWARMDEX,
      description = "the client column of the samples (default ${DEFAULT-VALUE})")
  String client;

  @Option(names = "--bind", paramLabel = "ADDR", description = "local address to download from")
  String bind;

  @Option(
      names = "--wait",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description = "how long to wait for the K sources (default ${DEFAULT-VALUE})")
  String waitSeconds;

  FetchRun.Config config() {
    if (sha256 != null && !Sha256.isValid(sha256)) {
      throw new IllegalArgumentException("--sha256 must be 64 hex digits");
    }
    InetAddress address = null;
    if (bind != null) {
      try {
        address = InetAddress.getByName(bind);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("--bind: unknown address " + bind);
      }
    }
    return new FetchRun.Config(
        server == null ? null : URI.create(server),
        sha256 == null ? null : Sha256.of(sha256),
        BenchFlags.integer("--sources", sources),
        BenchFlags.integer("--rounds", rounds),
        BenchFlags.path(out),
        BenchFlags.path(samples),
        client,
        address,
        BenchFlags.integer("--wait", waitSeconds) * 1000L);
  }

  @Override
  public BenchFlags.Task prepare() {
    FetchRun.Config config = config();
    return () -> run(config);
  }

  private static int run(FetchRun.Config config) {
    try {
      new FetchRun(config).run();
      return 0;
    } catch (IOException | ApiException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("error: interrupted");
      return 1;
    }
  }
}
