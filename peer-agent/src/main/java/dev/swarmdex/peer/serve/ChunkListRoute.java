package dev.swarmdex.peer.serve;

import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareEntry;
import dev.swarmdex.protocol.Sha256;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /files/{sha256}/chunks}: the {@link dev.swarmdex.protocol.ChunkList} of a shared file,
 * from the hash tree its scan computed, so a downloader can check every chunk it fetches.
 */
final class ChunkListRoute {
  static final String SUFFIX = "/chunks";

  private ChunkListRoute() {}

  /** Answers for {@code id} (the path segment before {@link #SUFFIX}) from {@code share}. */
  static void answer(Share share, String id, Response response, Callback callback) {
    if (!Sha256.isValid(id)) {
      FileHandler.error(
          response, callback, HttpStatus.BAD_REQUEST_400, "a file is named by its sha256");
      return;
    }
    Sha256 sha = Sha256.of(id);
    ShareEntry entry = share.find(sha).orElse(null);
    if (entry == null || entry.tree() == null) {
      FileHandler.error(
          response, callback, HttpStatus.NOT_FOUND_404, "this peer has no chunk list of " + sha);
      return;
    }
    FileHandler.json(response, callback, HttpStatus.OK_200, entry.tree().toChunkList());
  }
}
