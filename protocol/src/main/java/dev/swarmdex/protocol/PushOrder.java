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

  static void checkCallback(String callback) {
    Require.text("callback", callback, 256);
    try {
      URI uri = new URI(callback);
      if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1) {
        throw new IllegalArgumentException("callback must be http://IP:PORT/...");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("callback is not a URL: " + e.getMessage());
    }
  }
}
