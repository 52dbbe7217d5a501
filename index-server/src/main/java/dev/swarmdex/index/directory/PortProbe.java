package dev.swarmdex.index.directory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Tells whether a peer accepts connections on its file-server port, by opening one TCP connection
 * to the address the join came from. A peer that does not answer in time is firewalled.
 */
@FunctionalInterface
public interface PortProbe {
  /** Whether {@code ip:port} accepts a connection. */
  boolean reachable(String ip, int port);

  /** A probe that connects with {@code timeout}. */
  static PortProbe tcp(Duration timeout) {
    return (ip, port) -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(ip, port), (int) timeout.toMillis());
        return true;
      } catch (IOException e) {
        return false;
      }
    };
  }
}
