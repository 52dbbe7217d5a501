package dev.swarmdex.index.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.eclipse.jetty.server.Request;

/** Who is calling: the IP the connection comes from, never anything the request says. */
public final class CallerAddress {
  private CallerAddress() {}

  /**
   * The caller's IP as text, without an IPv6 zone ({@code fe80::1%eth0}): the same address however
   * it was reached. Refused (400) when the connection shows none.
   */
  public static String of(Request request) {
    if (request.getConnectionMetaData().getRemoteSocketAddress()
        instanceof InetSocketAddress socket) {
      InetAddress address = socket.getAddress();
      if (address != null) {
        // No regex: this runs on every call, and replaceAll compiled its pattern each time.
        String ip = address.getHostAddress();
        int zone = ip.indexOf('%');
        return zone < 0 ? ip : ip.substring(0, zone);
      }
    }
    throw new ApiError(400, "bad_request", "cannot tell the caller's address");
  }
}
