package dev.swarmdex.peer;

/** The command line was wrong: the message says how; the caller prints usage and exits 2. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String usage;

  UsageException(String message, String usage) {
    super(message);
    this.usage = usage;
  }

  String usage() {
    return usage;
  }
}
