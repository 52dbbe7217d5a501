package dev.swarmdex.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * A downloader that accepts connections asking a firewalled peer, through the peer's directory
 * ({@code POST /api/v1/push/{peerId}/{sha256}}), to send bytes {@code first..last} straight to
 * {@code callback}, an {@code http://} address at the downloader's own IP.
 */
public record PushOrder(String callback, long first, long last) {
  @JsonCreator
  public PushOrder {
    checkCallback(callback);
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("need 0 <= first <= last");
    }
  }

  /** The callback's host, as the directory compares it with the caller's address. */
  public String callbackHost() {
    String host = URI.create(callback).getHost();
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  /**
   * A callback is {@code http://IP:PORT/push/...}: an IP literal (the directory compares it with
   * the caller's own address), a real port (1 to 65535), a path under {@code /push/}, and nothing
   * else (no user part, query or fragment), so an order cannot aim a peer's upload anywhere but at
   * a push receiver of the caller.
   */
  static void checkCallback(String callback) {
    Require.text("callback", callback, 256);
    URI uri;
    try {
      uri = new URI(callback);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("callback is not a URL: " + e.getMessage());
    }
    if (!"http".equals(uri.getScheme())
        || uri.getHost() == null
        || !isIpLiteral(uri.getHost())
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawPath() == null
        || !uri.getRawPath().startsWith("/push/")) {
      throw new IllegalArgumentException("callback must be http://IP:PORT/push/ID, nothing more");
    }
    if (uri.getPort() < 1 || uri.getPort() > 65535) {
      throw new IllegalArgumentException("callback's port must be between 1 and 65535");
    }
  }

  /** A dotted IPv4 address, or an IPv6 address in brackets: no name to look up. */
  private static boolean isIpLiteral(String host) {
    if (host.startsWith("[")) {
      return host.endsWith("]") && host.length() > 2;
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }
}
