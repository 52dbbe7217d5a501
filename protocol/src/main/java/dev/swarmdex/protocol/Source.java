package dev.swarmdex.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One peer that has a file, and where to fetch it: {@code url} is the direct download address
 * {@code http://IP:PORT/files/SHA256}. A firewalled source cannot accept connections; {@code via}
 * (null and absent on the wire when unknown) is the base URL of the directory holding the source's
 * session, which relays its bytes ({@link #relayUrl}).
 */
public record Source(
    String peer,
    String ip,
    int port,
    String url,
    boolean firewalled,
    @JsonInclude(JsonInclude.Include.NON_NULL) String via) {
  @JsonCreator
  public Source {
    Require.text("peer", peer, 64);
    Require.text("ip", ip, 64);
    Require.port("port", port);
    Require.text("url", url, 256);
    if (via != null) {
      Require.text("via", via, 256);
      if (!via.startsWith("http://") && !via.startsWith("https://")) {
        throw new IllegalArgumentException("via must be an http:// or https:// address");
      }
    }
  }

  /** A source without a known directory. */
  public Source(String peer, String ip, int port, String url, boolean firewalled) {
    this(peer, ip, port, url, firewalled, null);
  }

  /** The direct download address of {@code sha256} on a peer at {@code ip:port}. */
  public static String url(String ip, int port, Sha256 sha256) {
    String host = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    return "http://" + host + ":" + port + "/files/" + sha256.hex();
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
