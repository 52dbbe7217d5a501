package dev.swarmdex.protocol;

/**
 * One peer that has a file, and where to fetch it: {@code url} is the direct download address
 * {@code http://IP:PORT/files/SHA256}. A firewalled source cannot accept connections.
 */
public record Source(String peer, String ip, int port, String url, boolean firewalled) {
  public Source {
    Require.text("peer", peer, 64);
    Require.text("ip", ip, 64);
    Require.port("port", port);
    Require.text("url", url, 256);
  }

  /** The direct download address of {@code sha256} on a peer at {@code ip:port}. */
  public static String url(String ip, int port, Sha256 sha256) {
    String host = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    return "http://" + host + ":" + port + "/files/" + sha256.hex();
  }
}
