package dev.swarmdex.peer;

/** A change the {@link TransferQueue} cannot make: {@code status} is the HTTP status saying why. */
final class TransferRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;
  final String code;

  TransferRefused(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }
}
