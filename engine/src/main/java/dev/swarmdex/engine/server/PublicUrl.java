package dev.swarmdex.engine.server;

import java.net.URI;

/**
 * The rule for the base URL a directory (index server or supernode) names as the {@code via} of its
 * sources, where downloaders reach its relay: the {@code --public-url} when given, else the address
 * it listens on, except that a directory bound to every interface (0.0.0.0, ::) cannot know the
 * address remote peers reach it at (127.0.0.1 would send them to their own machine), so it names
 * none and its firewalled sources are not relayed.
 */
public final class PublicUrl {
  private PublicUrl() {}

  /** Refuses anything but {@code http(s)://HOST[:PORT][/]}; null passes (none given). */
  public static String check(String url) {
    if (url != null && (!url.matches("https?://[^/?#\\s]+/?") || url.length() > 200)) {
      throw new IllegalArgumentException("--public-url must be http://HOST:PORT");
    }
    return url;
  }

  /**
   * Refuses an {@code http://} URL (the scheme in any case: {@code HTTP://} is the same) for a
   * server that speaks only HTTPS on its port ({@code tls}): downloaders sent there for its relay
   * would never get an answer.
   */
  public static void checkScheme(String url, boolean tls) {
    if (tls && url != null && url.regionMatches(true, 0, "http://", 0, 7)) {
      throw new IllegalArgumentException(
          "--public-url must be https:// when the server serves TLS");
    }
  }

  /** The {@code via} to name, or null for none. */
  public static String choose(String configured, boolean boundToEveryInterface, URI listening) {
    if (configured != null) {
      return configured;
    }
    return boundToEveryInterface ? null : listening.toString();
  }
}
