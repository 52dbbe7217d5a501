package dev.swarmdex.engine.relay;

import dev.swarmdex.protocol.AddressKey;
import dev.swarmdex.protocol.PushOrder;

/** What a relay or push request may ask for: a small range within the file, bytes to oneself. */
final class RelayRules {
  private RelayRules() {}

  /**
   * Refuses (400) a range outside a file of {@code size} bytes or over {@link
   * Relay#MAX_RANGE_BYTES}.
   */
  static void checkRange(long first, long last, long size) {
    if (first < 0 || last < first || last >= size) {
      throw new IllegalArgumentException("range " + first + "-" + last + " is not within the file");
    }
    requireSmallRange(first, last);
  }

  /**
   * Refuses (400) a push order for bytes outside the file, over {@link Relay#MAX_RANGE_BYTES}, or
   * whose callback is not at {@code callerIp}, the address of the downloader asking (so that nobody
   * can aim a peer's uploads at a third party).
   */
  static void checkPush(PushOrder order, long size, String callerIp) {
    if (order.last() >= size) {
      throw new IllegalArgumentException(
          "range " + order.first() + "-" + order.last() + " is not within the " + size + " bytes");
    }
    requireSmallRange(order.first(), order.last());
    if (!sameAddress(order.callbackHost(), callerIp)) {
      throw new IllegalArgumentException(
          "the callback must be at your own address, "
              + callerIp
              + ", not "
              + order.callbackHost());
    }
  }

  private static void requireSmallRange(long first, long last) {
    if (last - first + 1 > Relay.MAX_RANGE_BYTES) {
      throw new IllegalArgumentException(
          "a relay or push carries at most "
              + Relay.MAX_RANGE_BYTES
              + " bytes: ask for the file a range at a time");
    }
  }

  /**
   * Whether the callback names the caller's address ({@code callerIp} is already canonical; {@code
   * ::1} and {@code 0:0:0:0:0:0:0:1} are one address); the callback's host is checked to be a
   * literal, so nothing is looked up.
   */
  private static boolean sameAddress(String callbackHost, String callerIp) {
    return AddressKey.host(callbackHost).equals(AddressKey.host(callerIp));
  }
}
