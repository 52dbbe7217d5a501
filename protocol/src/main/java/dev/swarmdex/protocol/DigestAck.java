package dev.swarmdex.protocol;

/** The answer to {@code mesh/digest}: the version of the sender's digest the receiver now holds. */
public record DigestAck(long version) {
  public DigestAck {
    if (version < 0) {
      throw new IllegalArgumentException("version must be 0 or more");
    }
  }
}
