package dev.swarmdex.engine.overlay;

import java.util.Objects;

/**
 * One undirected link of the mesh between two directories, normalised so that {@code a < b} (String
 * order): {@code Link.of("y", "x")} equals {@code Link.of("x", "y")}.
 */
public record Link(String a, String b) implements Comparable<Link> {
  /** Normalises the ends; a link from a directory to itself is rejected. */
  public Link {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    int order = a.compareTo(b);
    if (order == 0) {
      throw new IllegalArgumentException("a link needs two different ends, not " + a + " twice");
    }
    if (order > 0) {
      String swap = a;
      a = b;
      b = swap;
    }
  }

  /** The link between {@code x} and {@code y}, in either order. */
  public static Link of(String x, String y) {
    return new Link(x, y);
  }

  /** Whether {@code node} is one of the two ends. */
  public boolean touches(String node) {
    return a.equals(node) || b.equals(node);
  }

  /**
   * The end that is not {@code node}.
   *
   * @throws IllegalArgumentException when {@code node} is not an end of this link
   */
  public String other(String node) {
    if (a.equals(node)) {
      return b;
    }
    if (b.equals(node)) {
      return a;
    }
    throw new IllegalArgumentException(node + " is not an end of " + this);
  }

  /** By {@code a}, then {@code b}. */
  @Override
  public int compareTo(Link o) {
    int first = a.compareTo(o.a);
    return first != 0 ? first : b.compareTo(o.b);
  }
}
