package dev.swarmdex.bench;

import dev.swarmdex.cli.Flags;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve-static}: a bare Jetty serving a folder, the transfer benchmark's reference. */
@Command(
    name = "serve-static",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description = "A bare Jetty serving DIR until stopped: the transfer benchmark's reference.",
    sortOptions = false)
final class ServeStaticCommand implements BenchFlags.Run {
  @Option(names = "--port", paramLabel = "N", description = "port to listen on (required)")
  String port;

  @Option(names = "--dir", paramLabel = "DIR", description = "the folder to serve (required)")
  String dir;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description = "address to listen on (default ${DEFAULT-VALUE})")
  String bind;

  @Option(
      names = "--content",
      paramLabel = "C",
      defaultValue = "mapped",
      description = {
        "mapped: ResourceHandler, Jetty's defaults (default);"
            + " pooled: ResourceHandler with file mapping off;"
            + " plain: ResourceService and new ResourceHttpContent(resource, type), as the peer"
            + " agent's FileHandler does;"
            + " plain-sized: the same with the server's pooled direct buffers"
      })
  String content;

  @Override
  public BenchFlags.Task prepare() {
    if (dir == null || port == null) {
      throw new IllegalArgumentException("--dir and --port are required");
    }
    int number = BenchFlags.integer("--port", port);
    StaticServer.Content kind = StaticServer.Content.parse(content);
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Path folder = Path.of(dir);
    return () -> {
      try {
        StaticServer.start(address, number, folder, kind).join();
        return 0;
      } catch (Exception e) {
        System.err.println("error: " + e);
        return 1;
      }
    };
  }
}
