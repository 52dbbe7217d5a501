package dev.swarmdex.peer.download;

import java.io.IOException;
import java.util.List;

/** Every source of a download failed; the message names each source and why it failed. */
public final class DownloadException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> failures;

  public DownloadException(String message, List<String> failures) {
    super(message + (failures.isEmpty() ? "" : ": " + String.join("; ", failures)));
    this.failures = List.copyOf(failures);
  }

  /** One line per source tried: its address and what went wrong. */
  public List<String> failures() {
    return failures;
  }
}
