package dev.swarmdex.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * A request, waiting at a directory, that a firewalled peer send bytes {@code first..last}
 * (inclusive) of {@code sha256} to {@code POST /api/v1/relay/{id}}, where a downloader waits.
 */
public record PushRequest(String id, Sha256 sha256, long first, long last) {
  @JsonCreator
  public PushRequest {
    Require.text("id", id, 64);
    Require.present("sha256", sha256);
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("need 0 <= first <= last");
    }
  }

  /** How many bytes the request asks for. */
  public long length() {
    return last - first + 1;
  }
}
