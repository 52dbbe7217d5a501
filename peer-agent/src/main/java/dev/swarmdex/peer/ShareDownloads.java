package dev.swarmdex.peer;

import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.peer.download.Identity;
import dev.swarmdex.peer.download.Progress;
import dev.swarmdex.peer.share.Share;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads the agent makes as its peer, into its shared folder by default under a free name, and
 * shares them once done ({@link PeerAgent#download}).
 */
final class ShareDownloads implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShareDownloads.class);

  private final Path shareDir;
  private final ApiClient index;
  private final Supplier<ApiClient> home;
  private final Downloader downloads;
  private final Supplier<Share> current;
  private final Runnable rescanNow;
  // Names in the shared folder that a running download is filling; guarded by itself.
  private final Set<Path> claimedNames = new HashSet<>();

  /**
   * Downloads that leave from the address the directory knows this peer by, as {@code identity}.
   *
   * @param home the directory the session is with (a supernode, or the index server): where content
   *     is located while the index server does not answer
   * @param current the folder's latest scan
   * @param rescanNow scans the folder and publishes the difference, returning when both are done
   */
  ShareDownloads(
      PeerAgentConfig config,
      ApiClient index,
      Supplier<ApiClient> home,
      Identity identity,
      Supplier<Share> current,
      Runnable rescanNow) {
    this.shareDir = config.shareDir();
    this.index = index;
    this.home = home;
    this.downloads =
        Downloader.create(
            config.bind().isAnyLocalAddress() ? null : config.bind(), identity, config.trust());
    this.current = current;
    this.rescanNow = rescanNow;
  }

  /** The progress of a download of {@code sha256} running now, or null. */
  Progress detail(Sha256 sha256) {
    return downloads.progress(sha256);
  }

  /** Stops every download in progress (each keeps what it verified, to resume). */
  @Override
  public void close() {
    downloads.close();
  }

  /** See {@link PeerAgent#download}. */
  PeerAgent.Downloaded download(
      Sha256 sha256, Path out, Duration patience, BiConsumer<Path, Long> started)
      throws IOException {
    Optional<Path> have = sharedCopy(sha256);
    if (have.isPresent() && out == null) {
      long size = Files.size(have.get());
      if (started != null) {
        started.accept(have.get(), size);
      }
      return new PeerAgent.Downloaded(have.get(), size, true);
    }
    ApiClient directory = index;
    SearchResult located;
    try {
      located = index.locate(sha256);
    } catch (ApiException e) {
      directory = home.get();
      if (!Bootstrap.indexAway(e) || directory == index) {
        throw e;
      }
      LOG.info("the index server does not answer; locating through {}", directory.server());
      located = directory.locate(sha256);
    }
    Path target = out != null ? out.toAbsolutePath().normalize() : freeName(located.name());
    Path file;
    try {
      if (started != null) {
        started.accept(target, located.size());
      }
      file = downloads.fetch(directory, sha256, target, patience);
    } finally {
      if (out == null) {
        synchronized (claimedNames) {
          claimedNames.remove(target);
        }
      }
    }
    boolean shared = false;
    if (file.startsWith(shareDir)) {
      rescanNow.run();
      shared = sharedCopy(sha256).isPresent();
    }
    LOG.info("downloaded {} to {}{}", sha256, file, shared ? " and shared it" : "");
    return new PeerAgent.Downloaded(file, Files.size(file), shared);
  }

  private Optional<Path> sharedCopy(Sha256 sha256) {
    return current.get().find(sha256).map(entry -> entry.path()).filter(Files::isRegularFile);
  }

  /**
   * A path in the shared folder for a download named {@code published}: its last path segment with
   * characters that are unsafe in file names replaced, numbered when the name is taken.
   */
  private Path freeName(String published) throws IOException {
    String name = DownloadNames.safe(published);
    synchronized (claimedNames) {
      for (int n = 1; n < 1000; n++) {
        Path candidate = shareDir.resolve(DownloadNames.numbered(name, n));
        Path part = Downloader.partOf(candidate);
        // Taken: a file (or a link, even a broken one) of that name, which the finished download
        // would replace, a .part that is a link (writing through it would leave the folder), or a
        // name another running download is filling.
        if (claimedNames.contains(candidate)
            || Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)
            || Files.isSymbolicLink(part)) {
          continue;
        }
        // Free, or an interrupted download of that name: resumed if it is this content (the
        // downloader checks its state file and starts afresh otherwise).
        claimedNames.add(candidate);
        return candidate;
      }
    }
    throw new IOException("no free name for '" + name + "' in " + shareDir);
  }
}
