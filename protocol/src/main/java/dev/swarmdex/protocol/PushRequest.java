package dev.swarmdex.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A request, waiting at a directory, that a firewalled peer send bytes {@code first..last}
 * (inclusive) of {@code sha256}: to {@code POST /api/v1/relay/{id}} at the directory, where a
 * downloader waits, or, when {@code callback} is given (null and absent on the wire otherwise),
 * straight to that address of a downloader that accepts connections (Gnutella's PUSH). With {@code
 * chunkList} (absent on the wire otherwise) the peer sends its chunk list of {@code sha256} instead
 * ({@link ChunkList} as JSON, or an empty body when it has none) to the relay; {@code first} and
 * {@code last} are then 0.
 */
public record PushRequest(
    String id,
    Sha256 sha256,
    long first,
    long last,
    @JsonInclude(JsonInclude.Include.NON_NULL) String callback,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean chunkList) {
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
    chunkList = Boolean.TRUE.equals(chunkList) ? Boolean.TRUE : null;
    if (chunkList != null && (callback != null || first != 0 || last != 0)) {
      throw new IllegalArgumentException("a chunk list request has no callback and no range");
    }
  }

  /** A request pushed straight to a downloader's {@code callback} (or, when null, relayed). */
  public PushRequest(String id, Sha256 sha256, long first, long last, String callback) {
    this(id, sha256, first, last, callback, null);
  }

  /** A request that the peer send its chunk list of {@code sha256} to the relay. */
  public static PushRequest forChunkList(String id, Sha256 sha256) {
    return new PushRequest(id, sha256, 0, 0, null, Boolean.TRUE);
  }

  /** Whether the peer is asked for its chunk list rather than a range of bytes. */
  public boolean wantsChunkList() {
    return chunkList != null;
  }

  /** A request answered through the directory's relay. */
  public PushRequest(String id, Sha256 sha256, long first, long last) {
    this(id, sha256, first, last, null, null);
  }

  /** How many bytes the request asks for. */
  public long length() {
    return last - first + 1;
  }
}
