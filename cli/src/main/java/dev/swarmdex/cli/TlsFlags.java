package dev.swarmdex.cli;

import picocli.CommandLine.Option;

/**
 * The flags by which a server (the index server, a supernode) serves HTTPS, declared once and mixed
 * into each program's flags ({@code @Mixin TlsFlags tls}); each program turns them into its TLS
 * identity. All null: plain HTTP.
 */
public final class TlsFlags {
  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "serve HTTPS with this PEM certificate (chain) ...")
  public String cert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "... and its PEM PKCS#8 private key (default: plain HTTP)")
  public String key;

  @Option(
      names = "--tls-keystore",
      paramLabel = "FILE",
      description = "or serve HTTPS with the first key of this PKCS#12 keystore")
  public String keystore;

  @Option(
      names = "--tls-keystore-password-file",
      paramLabel = "FILE",
      description = "the keystore's password")
  public String keystorePasswordFile;
}
