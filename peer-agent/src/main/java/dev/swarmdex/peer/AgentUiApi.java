package dev.swarmdex.peer;

import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.peer.share.ScanStatus;
import dev.swarmdex.peer.share.ShareEntry;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.Magnet;
import dev.swarmdex.protocol.ReputationReport;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.SearchResponse;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.WatchRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What the agent's web UI asks of the agent, one method per call of {@link AgentUiHandler}: the
 * transfers queue, searches and the reputation report through the agent's directory, its shares and
 * its wishlist. Bad input is an {@link IllegalArgumentException}; a refused change a {@link
 * TransferRefused}.
 */
final class AgentUiApi {
  /** {@code GET /api/session}: who this agent is, and the token every change must carry. */
  record Session(
      String csrfToken,
      String peerId,
      String shareDir,
      int sharedFiles,
      boolean joined,
      String directory) {}

  /** {@code GET /api/transfers}. */
  record Transfers(int atOnce, List<Transfer> transfers) {}

  /**
   * {@code POST /api/transfers}: a content by {@code sha256} (with the {@code name} and {@code
   * size} a search showed, if any), or a pasted {@code magnet} link.
   */
  record Order(String sha256, String name, Long size, String magnet) {}

  /**
   * {@code GET /api/shares}: the shared folder and what it holds, folder by folder (at most {@value
   * ShareViews#MAX_FOLDERS}; "" is the share's root), and how its scans go.
   */
  record Shares(
      String shareDir,
      int files,
      long bytes,
      boolean joined,
      String peerId,
      List<ShareViews.Folder> folders,
      ScanStatus.Snapshot scanning) {}

  private final PeerAgent agent;
  private final ApiClient directory;

  AgentUiApi(PeerAgent agent, ApiClient directory) {
    this.agent = agent;
    this.directory = directory;
  }

  Session session(String csrfToken) {
    return new Session(
        csrfToken,
        peerId(),
        agent.shareDir() + "",
        agent.sharedCount(),
        agent.isJoined(),
        agent.directory() == null ? null : agent.directory() + "");
  }

  Transfers transfers() {
    TransferQueue queue = agent.transfers();
    return new Transfers(queue.atOnce(), queue.list());
  }

  /** An order's transfer, and whether it was queued just now (not already waiting or running). */
  record Queued(Transfer transfer, boolean fresh) {}

  /** Queues an order. */
  Queued order(Order order) {
    Sha256 sha;
    String name = order.name();
    Long size = order.size();
    if (order.magnet() != null && !order.magnet().isBlank()) {
      Magnet magnet = Magnet.parse(order.magnet().trim());
      sha = magnet.sha256();
      name = magnet.name();
      size = magnet.size();
    } else if (order.sha256() != null && Sha256.isValid(order.sha256())) {
      sha = Sha256.of(order.sha256());
    } else {
      throw new IllegalArgumentException("give sha256 (64 hex digits) or a magnet link");
    }
    if (name != null && (name.isBlank() || name.length() > 255 || name.indexOf('\0') >= 0)) {
      throw new IllegalArgumentException("name must be 1 to 255 characters");
    }
    if (size != null && size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
    Transfer before = agent.transfers().get(sha);
    Transfer now = agent.transfers().add(sha, name, size, null, Downloader.DEFAULT_PATIENCE);
    return new Queued(now, before == null || before.finished());
  }

  Transfer change(Sha256 sha, String action) {
    TransferQueue queue = agent.transfers();
    return switch (action) {
      case "pause" -> queue.pause(sha);
      case "resume" -> queue.resume(sha);
      case "up" -> queue.move(sha, -1);
      case "down" -> queue.move(sha, 1);
      default -> throw new IllegalArgumentException("no such action: " + action);
    };
  }

  void cancel(Sha256 sha) {
    agent.transfers().cancel(sha);
  }

  /** Searches the network through the agent's directory. */
  SearchResponse search(String text, String type, String min, String max) {
    SearchQuery query = SearchQuery.of(text == null ? "" : text);
    if (type != null && !type.isBlank()) {
      query = query.withType(FileType.parse(type));
    }
    query = query.withSize(size(min, "min"), size(max, "max"));
    return directory.search(query);
  }

  private static Long size(String text, String name) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      long value = Long.parseLong(text.trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(name + " must be a number of bytes");
  }

  Shares shares() {
    Activity now = agent.activity();
    return new Shares(
        agent.shareDir() + "",
        now.share().size(),
        now.share().entries().stream().mapToLong(ShareEntry::size).sum(),
        agent.isJoined(),
        peerId(),
        ShareViews.folders(now.share()),
        now.scanning().now());
  }

  /** {@code GET /api/uploads}: uploads running and lately ended, and who waits for a slot. */
  ShareViews.Uploads uploads() {
    return ShareViews.uploads(agent.activity());
  }

  /** {@code GET /api/peers/{id}/files}: another peer's files, through the directory. */
  FolderDownloads.Browsed browse(String peerId) {
    return folders().browse(peerId);
  }

  /** {@code POST /api/peers/{id}/downloads}: queues one of another peer's folders. */
  FolderDownloads.Queued queueFolder(String peerId, String folder) {
    return folders().queue(peerId, folder);
  }

  private FolderDownloads folders() {
    return new FolderDownloads(directory, agent.transfers(), agent.shareDir());
  }

  /** {@code GET /api/wishlist}: the saved searches and what they found lately. */
  Wishlist.View wishlist() {
    return agent.activity().wishlist().view();
  }

  /** {@code POST /api/wishlist}: saves a search, at the agent's directory within a second. */
  Wishlist.Wish addWish(WatchRequest query) {
    try {
      return agent.activity().wishlist().add(query);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the wishlist", e);
    }
  }

  /** {@code DELETE /api/wishlist/{id}}: removes a search here and at the directory. */
  Wishlist.View removeWish(String id) {
    Wishlist wishlist = agent.activity().wishlist();
    try {
      if (!wishlist.remove(id)) {
        throw new TransferRefused(404, "not_found", "no saved search " + id);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the wishlist", e);
    }
    return wishlist.view();
  }

  /** This peer's level and its factors, from the index server. */
  ReputationReport reputation() {
    Credentials me = agent.credentials().orElse(null);
    if (me == null) {
      throw new TransferRefused(409, "not_joined", "this agent has not joined a directory yet");
    }
    return directory.reputationReport(me);
  }

  private String peerId() {
    return agent.credentials().map(Credentials::peerId).orElse(null);
  }

  /** The HTTP status an error of the directory is shown with: its own for a 4xx, else 502. */
  static int statusOf(ApiException e) {
    return e.status() >= 400 && e.status() < 500 ? e.status() : 502;
  }
}
