package dev.swarmdex.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A request, waiting at a directory, that a firewalled peer send bytes {@code first..last}
 * (inclusive) of {@code sha256}: to {@code POST /api/v1/relay/{id}} at the directory, where a
 * downloader waits, or, when {@code callback} is given (null and absent on the wire otherwise),
 * straight to that address of a downloader that accepts connections (Gnutella's PUSH).
 */
public record PushRequest(
    String id,
    Sha256 sha256,
    long first,
    long last,
    @JsonInclude(JsonInclude.Include.NON_NULL) String callback) {
  @JsonCreator
  public PushRequest {
    Require.text("id", id, 64);
    Require.present("sha256", sha256);
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("need 0 <= first <= last");
    }
    if (callback != null) {
      PushOrder.checkCallback(callback);
    }
  }

  /** A request answered through the directory's relay. */
  public PushRequest(String id, Sha256 sha256, long first, long last) {
    this(id, sha256, first, last, null);
  }

  /** How many bytes the request asks for. */
  public long length() {
    return last - first + 1;
  }
}
