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
}
