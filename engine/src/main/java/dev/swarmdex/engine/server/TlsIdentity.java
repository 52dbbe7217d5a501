package dev.swarmdex.engine.server;

import dev.swarmdex.protocol.PrivateFiles;
import dev.swarmdex.protocol.ServerTrust;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A server's TLS key and certificate chain, loaded once at start-up from a PEM pair (an X.509
 * certificate file and an unencrypted PKCS#8 key) or a PKCS#12 keystore, checked (the key belongs
 * to the certificate, which is valid now) and kept in memory. It makes the HTTPS connector of the
 * index server and of a supernode.
 *
 * <pre>{@code
 * TlsIdentity tls = TlsIdentity.fromPem(Path.of("cert.pem"), Path.of("key.pem"));
 * ServerConnector https = tls.connector(server); // then setHost, setPort, addConnector
 * }</pre>
 */
public final class TlsIdentity {
  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
  private static final String ALIAS = "server";

  private final KeyStore keyStore;
  private final String password;
  private final X509Certificate certificate;

  private TlsIdentity(KeyStore keyStore, String password, X509Certificate certificate) {
    this.keyStore = keyStore;
    this.password = password;
    this.certificate = certificate;
  }

  /**
   * A file given for TLS that cannot be used: its one-line message says which and why, so that a
   * command line can print it alone (it is not a usage mistake).
   */
  public static final class UnusableFile extends IllegalArgumentException {
    public UnusableFile(String message) {
      super(message);
    }
  }

  /**
   * Loads a PEM certificate file (the server's certificate first, then any intermediates) and its
   * PEM private key (PKCS#8, {@code BEGIN PRIVATE KEY}; RSA, EC or Ed25519).
   *
   * @throws UnusableFile when a file cannot be read or parsed, or the key is not the certificate's
   */
  public static TlsIdentity fromPem(Path certFile, Path keyFile) {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile);
    String password = randomPassword();
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(new Certificate[0]));
      return checked(store, password, key, chain.get(0), "--tls-key " + keyFile, certFile);
    } catch (GeneralSecurityException | IOException e) {
      throw new UnusableFile(
          "--tls-key " + keyFile + " does not fit --tls-cert " + certFile + ": " + e.getMessage());
    }
  }

  /**
   * Loads the first key entry of a PKCS#12 keystore whose password is the first line of {@code
   * passwordFile}.
   *
   * @throws UnusableFile when a file cannot be read, the password is wrong or the store holds no
   *     key
   */
  public static TlsIdentity fromPkcs12(Path keystoreFile, Path passwordFile) {
    Objects.requireNonNull(keystoreFile, "keystoreFile");
    Objects.requireNonNull(passwordFile, "passwordFile");
    String password;
    try {
      password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UnusableFile("cannot read --tls-keystore-password-file " + passwordFile + ": " + e);
    }
    return fromPkcs12(keystoreFile, password);
  }

  /** Loads the first key entry of a PKCS#12 keystore with {@code password}. */
  public static TlsIdentity fromPkcs12(Path keystoreFile, String password) {
    String where = "--tls-keystore " + keystoreFile;
    KeyStore store;
    try (InputStream in = Files.newInputStream(keystoreFile)) {
      store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
    } catch (IOException e) {
      throw new UnusableFile(
          "cannot open "
              + where
              + " (a PKCS#12 keystore, with the password in --tls-keystore-password-file): "
              + oneLine(e));
    } catch (GeneralSecurityException e) {
      throw new UnusableFile("cannot open " + where + ": " + oneLine(e));
    }
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (!store.isKeyEntry(alias)) {
          continue;
        }
        PrivateKey key = (PrivateKey) store.getKey(alias, password.toCharArray());
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate c : store.getCertificateChain(alias)) {
          chain.add((X509Certificate) c);
        }
        KeyStore only = KeyStore.getInstance("PKCS12");
        only.load(null, null);
        only.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(new Certificate[0]));
        return checked(only, password, key, chain.get(0), where, keystoreFile);
      }
    } catch (GeneralSecurityException | IOException | ClassCastException e) {
      throw new UnusableFile("cannot use the key in " + where + ": " + oneLine(e));
    }
    throw new UnusableFile(where + " holds no private key with its certificate");
  }

  /**
   * The identity the TLS flags name, or null (plain HTTP) when none is given: {@code --tls-cert}
   * with {@code --tls-key}, or {@code --tls-keystore} with {@code --tls-keystore-password-file}.
   *
   * @throws IllegalArgumentException when the flags do not go together
   * @throws UnusableFile when a named file cannot be used
   * @throws PrivateFiles.OpenToOthers when group or others can read the private key or the
   *     keystore's password file
   */
  public static TlsIdentity fromFlags(
      String certFile, String keyFile, String keystoreFile, String passwordFile) {
    boolean pem = certFile != null || keyFile != null;
    boolean pkcs12 = keystoreFile != null || passwordFile != null;
    if (pem && pkcs12) {
      throw new IllegalArgumentException(
          "give either --tls-cert and --tls-key or --tls-keystore, not both");
    }
    if (pem) {
      if (certFile == null || keyFile == null) {
        throw new IllegalArgumentException("--tls-cert and --tls-key go together");
      }
      TlsIdentity identity = fromPem(Path.of(certFile), Path.of(keyFile));
      requireOwnerOnly(Path.of(keyFile), "--tls-key");
      return identity;
    }
    if (pkcs12) {
      if (keystoreFile == null || passwordFile == null) {
        throw new IllegalArgumentException(
            "--tls-keystore and --tls-keystore-password-file go together");
      }
      TlsIdentity identity = fromPkcs12(Path.of(keystoreFile), Path.of(passwordFile));
      requireOwnerOnly(Path.of(passwordFile), "--tls-keystore-password-file");
      return identity;
    }
    return null;
  }

  /**
   * Refuses a secret given by flag that others can read, as the admin password file is refused.
   *
   * @throws PrivateFiles.OpenToOthers saying how to fix it
   */
  private static void requireOwnerOnly(Path file, String flag) {
    try {
      PrivateFiles.requireOwnerOnly(file, flag);
    } catch (IOException e) {
      throw new UnusableFile("cannot read " + flag + " " + file + ": " + oneLine(e));
    }
  }

  /**
   * What {@code --server-cert FILE} says a server's own calls to other {@code https://} servers
   * trust: only the certificates in FILE, or the system trust store when the flag is absent (null).
   *
   * @throws UnusableFile when FILE holds no certificate
   */
  public static ServerTrust trustFromFlag(String file) {
    if (file == null) {
      return ServerTrust.system();
    }
    try {
      return ServerTrust.pinned(Path.of(file));
    } catch (IllegalArgumentException e) {
      throw new UnusableFile("--server-cert: " + e.getMessage());
    }
  }

  /**
   * A new HTTPS connector (HTTP/1.1 over TLS) on {@code server} serving this identity, with Jetty's
   * default number of selector threads; requests on it are secure ({@code Request.isSecure()}), so
   * cookies set on them get {@code Secure}.
   */
  public ServerConnector connector(Server server) {
    return connector(server, -1);
  }

  /**
   * {@link #connector(Server)} with {@code selectors} selector threads.
   *
   * @param selectors its selector threads; below 1, Jetty's default
   */
  public ServerConnector connector(Server server, int selectors) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keyStore);
    ssl.setKeyStorePassword(password);
    ssl.setCertAlias(ALIAS);
    HttpConfiguration https = new HttpConfiguration();
    https.addCustomizer(new SecureRequestCustomizer());
    return new ServerConnector(
        server,
        null,
        null,
        null,
        -1,
        selectors,
        new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
        new HttpConnectionFactory(https));
  }

  @Override
  public String toString() {
    return "TLS certificate " + certificate.getSubjectX500Principal().getName();
  }

  /** Checks that the key signs what the certificate verifies and that the certificate is valid. */
  private static TlsIdentity checked(
      KeyStore store,
      String password,
      PrivateKey key,
      X509Certificate certificate,
      String keyWhere,
      Path certWhere) {
    try {
      certificate.checkValidity();
    } catch (CertificateExpiredException e) {
      throw new UnusableFile(
          "the certificate in " + certWhere + " expired on " + certificate.getNotAfter());
    } catch (CertificateNotYetValidException e) {
      throw new UnusableFile(
          "the certificate in " + certWhere + " is not valid before " + certificate.getNotBefore());
    }
    if (!signsFor(key, certificate)) {
      throw new UnusableFile(
          keyWhere + " is not the private key of the certificate in " + certWhere);
    }
    return new TlsIdentity(store, password, certificate);
  }

  private static boolean signsFor(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          case "Ed448" -> "Ed448";
          default -> null;
        };
    if (algorithm == null) {
      return false;
    }
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static List<X509Certificate> certificates(Path file) {
    String where = "--tls-cert " + file;
    List<X509Certificate> chain = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        chain.add((X509Certificate) c);
      }
    } catch (IOException e) {
      throw new UnusableFile("cannot read " + where + ": " + oneLine(e));
    } catch (GeneralSecurityException e) {
      throw new UnusableFile(where + " holds no PEM X.509 certificate: " + oneLine(e));
    }
    if (chain.isEmpty()) {
      throw new UnusableFile(where + " holds no PEM X.509 certificate");
    }
    return chain;
  }

  private static PrivateKey privateKey(Path file) {
    String where = "--tls-key " + file;
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UnusableFile("cannot read " + where + ": " + oneLine(e));
    }
    Matcher block = PEM_BLOCK.matcher(text);
    while (block.find()) {
      String kind = block.group(1);
      switch (kind) {
        case "PRIVATE KEY" -> {
          return pkcs8(block.group(2), where);
        }
        case "ENCRYPTED PRIVATE KEY" ->
            throw new UnusableFile(
                where
                    + " is encrypted; give it unencrypted (openssl pkcs8 -in KEY -out key.pem) and"
                    + " readable by this user only, or use --tls-keystore");
        case "RSA PRIVATE KEY", "EC PRIVATE KEY" ->
            throw new UnusableFile(
                where
                    + " is a traditional '"
                    + kind
                    + "' file; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in KEY -out"
                    + " key.pem");
        default -> {
          // a certificate or parameters block before the key: look further
        }
      }
    }
    throw new UnusableFile(where + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
  }

  private static PrivateKey pkcs8(String base64, String where) {
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new UnusableFile(where + " is not valid PEM: " + e.getMessage());
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // not this algorithm; try the next
      }
    }
    throw new UnusableFile(where + " is not an RSA, EC or Ed25519 PKCS#8 private key");
  }

  private static String randomPassword() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String oneLine(Exception e) {
    String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    if (e instanceof java.nio.file.NoSuchFileException) {
      message = "no such file";
    }
    return message.replace('\n', ' ');
  }
}
