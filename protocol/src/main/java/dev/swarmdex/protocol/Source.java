package dev.swarmdex.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One peer that has a file, and where to fetch it: {@code url} is the direct download address
 * {@code http://IP:PORT/files/SHA256}. A firewalled source cannot accept connections; {@code via}
 * (null and absent on the wire when unknown) is the base URL of the directory holding the source's
 * session, which relays its bytes ({@link #relayUrl}). {@code reputation} is the peer's
 * participation level, 0-1000 (0 for a newcomer, and where the directory does not know it).
 */
public record Source(
    String peer,
    String ip,
    int port,
    String url,
    boolean firewalled,
    @JsonInclude(JsonInclude.Include.NON_NULL) String via,
    int reputation) {
  public Source {
    Require.text("peer", peer, 64);
    Require.text("ip", ip, 64);
    Require.port("port", port);
    Require.text("url", url, 256);
    if (reputation < 0 || reputation > ReputationReport.MAX_LEVEL) {
      throw new IllegalArgumentException("reputation must be between 0 and 1000");
    }
    if (via != null) {
      Require.text("via", via, 256);
      if (!via.startsWith("http://") && !via.startsWith("https://")) {
        throw new IllegalArgumentException("via must be an http:// or https:// address");
      }
    }
  }

  /** Reads a source off the wire; one without {@code reputation} (an older directory's) has 0. */
  @JsonCreator
  static Source fromJson(
      @JsonProperty("peer") String peer,
      @JsonProperty("ip") String ip,
      @JsonProperty("port") int port,
      @JsonProperty("url") String url,
      @JsonProperty("firewalled") boolean firewalled,
      @JsonProperty("via") String via,
      @JsonProperty("reputation") Integer reputation) {
    return new Source(peer, ip, port, url, firewalled, via, reputation == null ? 0 : reputation);
  }

  /** A source whose reputation is not known (0, a newcomer's). */
  public Source(String peer, String ip, int port, String url, boolean firewalled, String via) {
    this(peer, ip, port, url, firewalled, via, 0);
  }

  /** The same source with its participation level. */
  public Source withReputation(int level) {
    return new Source(peer, ip, port, url, firewalled, via, level);
  }

  /** A source without a known directory. */
  public Source(String peer, String ip, int port, String url, boolean firewalled) {
    this(peer, ip, port, url, firewalled, null);
  }

  /** The direct download address of {@code sha256} on a peer at {@code ip:port}. */
  public static String url(String ip, int port, Sha256 sha256) {
    return filesUrl(ip, port) + sha256.hex();
  }

  /**
   * What every {@link #url} of a peer at {@code ip:port} starts with, for a directory that builds
   * many of them: {@code filesUrl(ip, port) + sha256.hex()} is {@code url(ip, port, sha256)}.
   */
  public static String filesUrl(String ip, int port) {
    String host = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    return "http://" + host + ":" + port + "/files/";
  }

  /**
   * Where this source's copy of {@code sha256} is fetched through its directory's relay, or null
   * when the source names no directory.
   */
  public String relayUrl(Sha256 sha256) {
    if (via == null) {
      return null;
    }
    String base = via.endsWith("/") ? via.substring(0, via.length() - 1) : via;
    return base + "/api/v1/relay/" + peer + "/" + sha256.hex();
  }
}
