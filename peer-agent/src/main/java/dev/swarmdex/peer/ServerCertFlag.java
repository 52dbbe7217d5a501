package dev.swarmdex.peer;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --server-cert FILE}, which every command talking to a directory takes (a mixin). */
final class ServerCertFlag {
  @Option(
      names = "--server-cert",
      paramLabel = "FILE",
      description =
          "with an https:// URL, trust only the PEM certificate(s) in FILE (the server's own, or"
              + " the CA that signed it) instead of the system's trust store; the certificate"
              + " must name the URL's host either way")
  String file;

  /** The file, or null for the system trust store. */
  Path path() {
    return file == null ? null : Path.of(file);
  }
}
