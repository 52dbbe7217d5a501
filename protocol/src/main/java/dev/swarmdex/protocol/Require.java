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
    boolean valid = value.indexOf(':') >= 0 ? isIpv6(value) : isIpv4(value.split("\\.", -1), 0, 4);
    if (!valid) {
      throw new IllegalArgumentException(field + " must be an IP address: " + value);
    }
    return value;
  }

  private static boolean isIpv4(String[] parts, int from, int count) {
    if (parts.length - from != count) {
      return false;
    }
    for (int i = from; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()
          || part.length() > 3
          || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return false;
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6(String value) {
    String hex = value;
    int groupsNeeded = 8;
    int lastColon = value.lastIndexOf(':');
    if (value.indexOf('.', lastColon) >= 0) { // an IPv4 tail counts as two groups
      if (!isIpv4(value.substring(lastColon + 1).split("\\.", -1), 0, 4)) {
        return false;
      }
      hex = value.substring(0, lastColon + 1) + "0";
      groupsNeeded = 7;
    }
    int elided = hex.indexOf("::");
    if (elided >= 0 && hex.indexOf("::", elided + 1) >= 0) {
      return false;
    }
    String[] groups = (elided >= 0 ? hex.replace("::", ":x:") : hex).split(":", -1);
    int count = 0;
    for (String group : groups) {
      if (group.equals("x")) {
        continue;
      }
      if (group.isEmpty()) {
        if (elided < 0) {
          return false;
        }
        continue; // the empty edge of a leading or trailing ::
      }
      if (group.length() > 4 || !group.chars().allMatch(Require::isHexDigit)) {
        return false;
      }
      count++;
    }
    return elided >= 0 ? count < groupsNeeded : count == groupsNeeded;
  }

  private static boolean isHexDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
