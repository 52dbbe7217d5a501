package dev.swarmdex.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Which certificates a client accepts from an {@code https://} directory: the system trust store
 * (the default), or only the certificates in one file (a pinned self-signed certificate, or the CA
 * that signed the servers' certificates). Either way the certificate must name the host the client
 * dialled (a DNS or IP subject alternative name): hostname verification is never turned off.
 *
 * <pre>{@code
 * ServerTrust trust = ServerTrust.pinned(Path.of("server.pem"));
 * try (ApiClient api = ApiClient.create(URI.create("https://127.0.0.1:8443"), null, trust)) { ... }
 * }</pre>
 */
public final class ServerTrust {
  private static final ServerTrust SYSTEM = new ServerTrust(null, null);

  private final Path pinned;
  private final KeyStore anchors;

  private ServerTrust(Path pinned, KeyStore anchors) {
    this.pinned = pinned;
    this.anchors = anchors;
  }

  /** Trusts what the JVM's default trust store (the system's CAs) trusts. */
  public static ServerTrust system() {
    return SYSTEM;
  }

  /**
   * Trusts only the X.509 certificates in {@code file} (PEM, one or more, or a DER certificate).
   *
   * @throws IllegalArgumentException with a one-line reason when the file cannot be read or holds
   *     no certificate
   */
  public static ServerTrust pinned(Path file) {
    Objects.requireNonNull(file, "file");
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(file)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the server certificate " + file + ": " + e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "no X.509 certificate in " + file + " (a PEM or DER certificate is needed)");
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(
          "no X.509 certificate in " + file + " (a PEM or DER certificate is needed)");
    }
    try {
      KeyStore anchors = KeyStore.getInstance("PKCS12");
      anchors.load(null, null);
      List<Certificate> list = new ArrayList<>(certificates);
      for (int i = 0; i < list.size(); i++) {
        anchors.setCertificateEntry("pinned-" + i, list.get(i));
      }
      return new ServerTrust(file, anchors);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust store: " + e.getMessage(), e);
    }
  }

  /**
   * A new, not yet started, client TLS factory for Jetty's {@code HttpClient} that trusts what this
   * says and verifies the host name ({@code HTTPS} endpoint identification).
   */
  public SslContextFactory.Client sslContextFactory() {
    SslContextFactory.Client factory = new SslContextFactory.Client();
    factory.setTrustAll(false);
    factory.setEndpointIdentificationAlgorithm("HTTPS");
    if (anchors != null) {
      factory.setTrustStore(anchors);
    }
    return factory;
  }

  /**
   * Whether {@code e} (or a cause of it) is a server certificate this trust does not accept: no
   * path to a trusted certificate, or one that does not name the host dialled. Other handshake
   * failures (no common protocol, a plain-HTTP port) are not.
   */
  static boolean isUntrustedCertificate(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.security.cert.CertificateException
          || t instanceof java.security.cert.CertPathValidatorException
          || t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return pinned == null ? "the system trust store" : "the certificate(s) in " + pinned;
  }
}
