package dev.swarmdex.engine.directory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Tells whether a peer accepts connections on its file-server port, by opening one TCP connection
 * to the address the join came from. A peer that does not answer in time is firewalled.
 */
@FunctionalInterface
public interface PortProbe {
  /** Whether {@code ip:port} accepts a connection. */
  boolean reachable(String ip, int port);

  /**
   * A probe that connects with {@code timeout}, at most {@code concurrent} at once: each probe
   * holds a request thread, so a flood of joins toward ports that never answer must not take them
   * all. When no probe slot frees up within the timeout the join is refused as busy.
   */
  static PortProbe tcp(Duration timeout, int concurrent) {
    Semaphore slots = new Semaphore(concurrent);
    return (ip, port) -> {
      try {
        if (!slots.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new DirectoryException(
              DirectoryException.Reason.BUSY, "too many joins at once; retry shortly");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DirectoryException(DirectoryException.Reason.BUSY, "interrupted; retry");
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(ip, port), (int) timeout.toMillis());
        return true;
      } catch (IOException e) {
        return false;
      } finally {
        slots.release();
      }
    };
  }
}
