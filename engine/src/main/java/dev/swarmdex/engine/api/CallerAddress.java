package dev.swarmdex.engine.api;

import dev.swarmdex.protocol.AddressKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.eclipse.jetty.server.Request;

/** Who is calling: the IP the connection comes from, never anything the request says. */
public final class CallerAddress {
  private CallerAddress() {}

  /**
   * The caller's IP as {@link AddressKey#host} writes it ({@code 2001:db8::1}, not Java's {@code
   * 2001:db8:0:0:0:0:0:1}; IPv4-mapped as the dotted quad; no zone): the one spelling sessions,
   * bans, rate-limit buckets and tickets compare. Refused (400) when the connection shows none.
   */
  public static String of(Request request) {
    if (request.getConnectionMetaData().getRemoteSocketAddress()
        instanceof InetSocketAddress socket) {
      InetAddress address = socket.getAddress();
      if (address != null) {
        return AddressKey.host(address.getHostAddress());
      }
    }
    throw new ApiError(400, "bad_request", "cannot tell the caller's address");
  }
}
