package dev.swarmdex.engine.metrics;

import dev.swarmdex.protocol.PrivateFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Who may read {@code GET /metrics}. Without a token, callers on this host only (a loopback
 * address): a Prometheus beside the program, or a tunnel to it. With a token (read from a file the
 * operator keeps, {@code --metrics-token-file}), every caller must send {@code Authorization:
 * Bearer TOKEN}, loopback ones too: the operator asked for a secret, and other users of a shared
 * host are loopback callers as well. Prometheus sends such a header from its own file ({@code
 * authorization: credentials_file:}), so no login session is needed for a scraper.
 *
 * <p>Pure: {@link #refusal} takes the caller's address and header and says what is wrong, if
 * anything.
 */
public final class MetricsAccess {
  /** Why a caller may not read the metrics: the status (401 or 403), a code and a message. */
  public record Refusal(int status, String code, String message) {}

  private static final int MIN_TOKEN_LENGTH = 16;

  private final byte[] token;

  private MetricsAccess(byte[] token) {
    this.token = token;
  }

  /** Callers on this host only. */
  public static MetricsAccess loopbackOnly() {
    return new MetricsAccess(null);
  }

  /** Callers sending {@code token} (at least 16 characters), from anywhere. */
  public static MetricsAccess token(String token) {
    String trimmed = token.strip();
    if (trimmed.length() < MIN_TOKEN_LENGTH || trimmed.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new IllegalArgumentException(
          "a metrics token is at least "
              + MIN_TOKEN_LENGTH
              + " printable ASCII characters without spaces");
    }
    return new MetricsAccess(trimmed.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * What {@code --metrics-token-file} names: the token in {@code file}, which only its owner may
   * read (as every secret's file here), or this host only when the flag is absent (null).
   *
   * @throws IllegalArgumentException naming the flag when the file is open to others or unusable
   */
  public static MetricsAccess fromFlag(String file) {
    if (file == null) {
      return loopbackOnly();
    }
    try {
      PrivateFiles.requireOwnerOnly(Path.of(file), "--metrics-token-file");
    } catch (IOException e) {
      throw new IllegalArgumentException("--metrics-token-file: " + e.getMessage(), e);
    }
    try {
      return fromFile(Path.of(file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--metrics-token-file " + e.getMessage(), e);
    }
  }

  /**
   * The token in {@code file} (its first line, trimmed), or loopback only when {@code file} is
   * null.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or holds no valid token
   */
  public static MetricsAccess fromFile(Path file) {
    if (file == null) {
      return loopbackOnly();
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int end = text.indexOf('\n');
      return token(end < 0 ? text : text.substring(0, end));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the metrics token file " + file + ": " + e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** How it is set up, never the token itself. */
  @Override
  public String toString() {
    return token == null ? "this host only" : "bearer token";
  }

  /** Whether a token is asked for. */
  public boolean needsToken() {
    return token != null;
  }

  /**
   * Why the caller at {@code caller} sending {@code authorization} (null: none) may not read the
   * metrics, or null when it may.
   */
  public Refusal refusal(InetAddress caller, String authorization) {
    if (token == null) {
      return caller != null && caller.isLoopbackAddress()
          ? null
          : new Refusal(
              403,
              "forbidden",
              "metrics are served to this host only; start the server with --metrics-token-file"
                  + " to scrape it from elsewhere");
    }
    if (authorization == null) {
      return new Refusal(401, "unauthorized", "send 'Authorization: Bearer TOKEN' for metrics");
    }
    byte[] sent =
        authorization.regionMatches(true, 0, "Bearer ", 0, 7)
            ? authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    return MessageDigest.isEqual(sent, token)
        ? null
        : new Refusal(403, "forbidden", "this token may not read the metrics");
  }
}
