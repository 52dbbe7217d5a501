package dev.swarmdex.peer.serve;

import dev.swarmdex.protocol.AddressKey;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.ServedTicket;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A file response that signs what it serves: just before the first write commits the headers, a
 * {@code 200} (the whole file) or a {@code 206} with one {@code Content-Range} gets the uploader's
 * {@link ServedTicket#HEADER} for exactly those bytes, bound to the requester's address as this
 * server's socket saw it. Errors, {@code 304}s and multi-range answers ({@code
 * multipart/byteranges}, no single {@code Content-Range}) carry none. When the range is exactly one
 * whole {@link HashTree} chunk the ticket also commits to the SHA-256 of those bytes, read from the
 * open file before the headers go out. Jetty's {@code ResourceService} decides the status and
 * range; this only reads what it decided.
 */
final class TicketedResponse extends Response.Wrapper {
  private final Credentials identity;
  private final PeerKey key;
  private final String requesterIp;
  private final Sha256 sha256;
  private final long size;
  private final LongSupplier epochSeconds;
  private final ChunkDigest chunkDigest;
  private boolean stamped;

  /** Reads the SHA-256 (hex) of {@code length} bytes from {@code first} of the served file. */
  @FunctionalInterface
  interface ChunkDigest {
    String of(long first, int length) throws IOException;
  }

  TicketedResponse(
      Request request,
      Response wrapped,
      Credentials identity,
      PeerKey key,
      Sha256 sha256,
      long size,
      LongSupplier epochSeconds,
      ChunkDigest chunkDigest) {
    super(request, wrapped);
    this.identity = identity;
    this.key = key;
    // Signed in the spelling the index server checks it in (not Jetty's [0:0:0:0:0:0:0:1]).
    this.requesterIp = AddressKey.host(Request.getRemoteAddr(request));
    this.sha256 = sha256;
    this.size = size;
    this.epochSeconds = epochSeconds;
    this.chunkDigest = chunkDigest;
  }

  @Override
  public void write(boolean last, ByteBuffer content, Callback callback) {
    if (!stamped) {
      stamped = true;
      stamp();
    }
    super.write(last, content, callback);
  }

  private void stamp() {
    long[] range = servedRange(getStatus(), getHeaders().get(HttpHeader.CONTENT_RANGE), size);
    if (range == null) {
      return;
    }
    String digest = null;
    int chunk = wholeChunk(range[0], range[1], size);
    if (chunk >= 0) {
      try {
        digest = chunkDigest.of(range[0], HashTree.chunkLength(size, chunk));
      } catch (IOException e) {
        return; // the bytes cannot be read either; no ticket for them
      }
    }
    getHeaders()
        .put(
            ServedTicket.HEADER,
            ServedTicket.header(
                key,
                identity.peerId(),
                requesterIp,
                sha256,
                range[0],
                range[1],
                epochSeconds.getAsLong(),
                digest));
  }

  /**
   * The index of the chunk that {@code first..last} of a file of {@code size} bytes is exactly, or
   * -1 when it is not one whole chunk.
   */
  static int wholeChunk(long first, long last, long size) {
    if (first % HashTree.CHUNK_SIZE != 0 || first >= size) {
      return -1;
    }
    int index = (int) (first / HashTree.CHUNK_SIZE);
    return last == first + HashTree.chunkLength(size, index) - 1 ? index : -1;
  }

  /**
   * The bytes {@code first..last} a response of {@code status} with {@code contentRange} carries of
   * a file of {@code size} bytes, or null when it carries no single range of it.
   */
  static long[] servedRange(int status, String contentRange, long size) {
    if (status == HttpStatus.OK_200 || status == 0) { // 0: not set yet, which Jetty sends as 200
      return size > 0 && contentRange == null ? new long[] {0, size - 1} : null;
    }
    if (status != HttpStatus.PARTIAL_CONTENT_206 || contentRange == null) {
      return null;
    }
    // Jetty writes "bytes FIRST-LAST/SIZE" for a single range.
    String text = contentRange.trim();
    if (!text.startsWith("bytes ")) {
      return null;
    }
    int dash = text.indexOf('-', 6);
    int slash = text.indexOf('/', dash + 1);
    if (dash < 0 || slash < 0) {
      return null;
    }
    try {
      long first = Long.parseLong(text.substring(6, dash));
      long last = Long.parseLong(text.substring(dash + 1, slash));
      return first >= 0 && last >= first && last < size ? new long[] {first, last} : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
