package dev.swarmdex.protocol;

import java.util.List;

/** Checks shared by the records' compact constructors; each failure names the field. */
final class Require {
  private Require() {}

  static String text(String field, String value, int maxChars) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (value.length() > maxChars) {
      throw new IllegalArgumentException(field + " is longer than " + maxChars + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(field + " contains a control character");
      }
    }
    return value;
  }

  static <T> List<T> list(String field, List<T> value, int maxSize) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (value.size() > maxSize) {
      throw new IllegalArgumentException(
          field + " has " + value.size() + " entries; at most " + maxSize + " are allowed");
    }
    for (T item : value) {
      if (item == null) {
        throw new IllegalArgumentException(field + " contains null");
      }
    }
    return List.copyOf(value);
  }

  static <T> T present(String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  static int port(String field, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(field + " must be between 1 and 65535");
    }
    return port;
  }

  /**
   * A dotted IPv4 address or an IPv6 address (hex groups and colons, optionally a dotted IPv4
   * tail), as a connection's address is written; never a name, so nothing is looked up.
   */
  static String ipLiteral(String field, String value) {
    text(field, value, 45);
    // AddressKey's reading of a literal, in the one spelling the wire takes: no brackets, no zone.
    if (value.indexOf('[') >= 0 || value.indexOf('%') >= 0 || !AddressKey.isLiteral(value)) {
      throw new IllegalArgumentException(field + " must be an IP address: " + value);
    }
    return value;
  }
}
