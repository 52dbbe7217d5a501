package dev.swarmdex.peer;

import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.BrowseResponse;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.SharedFolder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Browsing another peer through the agent's directory, and queueing one of its folders: each file
 * of the folder (and of its subfolders) goes to {@code TARGET/<its folder>/<its name>}, TARGET
 * being the shared folder. What a peer publishes is another peer's text, so every folder is checked
 * again ({@link SharedFolder}), each name made safe ({@link DownloadNames}), and a target must lie
 * below TARGET with no symbolic link on the way; a name already taken is numbered, never
 * overwritten.
 */
final class FolderDownloads {
  /** Most files one browse reads (pages of the directory's largest page). */
  static final int MAX_FILES = Limits.MAX_OFFSET;

  private static final Pattern PEER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** A peer's files as the directory lists them, folders first; {@code complete} unless cut. */
  record Browsed(String peer, List<SharedFile> files, int total, boolean complete) {}

  /** What a folder download queued: how many files, and how many could not be queued. */
  record Queued(String peer, String folder, int queued, int refused, List<Transfer> transfers) {}

  private final ApiClient directory;
  private final TransferQueue queue;
  private final Path target;

  FolderDownloads(ApiClient directory, TransferQueue queue, Path target) {
    this.directory = directory;
    this.queue = queue;
    this.target = target.toAbsolutePath().normalize();
  }

  /** Every file {@code peerId} shares, up to {@value #MAX_FILES}. */
  Browsed browse(String peerId) {
    if (peerId == null || !PEER_ID.matcher(peerId).matches()) {
      throw new IllegalArgumentException("a peer id is 1 to 64 letters, digits, - or _");
    }
    List<SharedFile> files = new ArrayList<>();
    int total = 0;
    while (files.size() < MAX_FILES) {
      BrowseResponse page = directory.browse(peerId, Limits.MAX_PAGE_SIZE, files.size());
      total = page.total();
      files.addAll(page.files());
      if (page.files().isEmpty() || files.size() >= total) {
        break;
      }
    }
    return new Browsed(peerId, files, total, files.size() >= total);
  }

  /** Queues every file of {@code peerId}'s {@code folder} (null or empty: all it shares). */
  Queued queue(String peerId, String folder) {
    String wanted = SharedFolder.check(folder);
    Browsed browsed = browse(peerId);
    Set<Path> claimed = new HashSet<>();
    List<Transfer> transfers = new ArrayList<>();
    int refused = 0;
    for (SharedFile file : browsed.files()) {
      if (!SharedFolder.within(file.folder(), wanted)) {
        continue;
      }
      try {
        transfers.add(queueOne(file, claimed));
      } catch (TransferRefused | IllegalArgumentException e) {
        refused++;
      }
    }
    if (transfers.isEmpty() && refused == 0) {
      throw new TransferRefused(
          404, "not_found", "peer " + peerId + " shares no file in " + shown(wanted));
    }
    return new Queued(peerId, wanted, transfers.size(), refused, transfers);
  }

  /**
   * Queues {@code file} at the first free name of its folder; a name another waiting download goes
   * to is taken too (the queue refuses it), and the next number is tried.
   */
  private Transfer queueOne(SharedFile file, Set<Path> claimed) {
    for (int tries = 0; ; tries++) {
      Path out = freeTarget(file.folder(), file.name(), claimed);
      try {
        return queue.add(file.sha256(), file.name(), file.size(), out, Downloader.DEFAULT_PATIENCE);
      } catch (TransferRefused e) {
        if (!TransferQueue.TARGET_TAKEN.equals(e.code) || tries >= 100) {
          throw e;
        }
      }
    }
  }

  /** Where a file of {@code folder} named {@code name} goes, numbered when the name is taken. */
  private Path freeTarget(String folder, String name, Set<Path> claimed) {
    Path dir = inside(target, folder);
    String safe = DownloadNames.safe(name);
    for (int n = 1; n < 1000; n++) {
      Path candidate = dir.resolve(DownloadNames.numbered(safe, n)).normalize();
      if (!candidate.getParent().equals(dir)) {
        throw new IllegalArgumentException("not a file name: " + name);
      }
      if (!claimed.contains(candidate)
          && !Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)
          && !Files.isSymbolicLink(Downloader.partOf(candidate))) {
        claimed.add(candidate);
        return candidate;
      }
    }
    throw new IllegalArgumentException("no free name for " + name);
  }

  /**
   * The folder {@code folder} below {@code base}: checked again, built one name at a time, with no
   * symbolic link on the way (a link would lead the download out of {@code base}).
   */
  static Path inside(Path base, String folder) {
    Path dir = base;
    String checked = SharedFolder.check(folder);
    if (checked != null) {
      for (String name : checked.split("/")) {
        dir = dir.resolve(name);
        if (Files.isSymbolicLink(dir)
            || (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir))) {
          throw new IllegalArgumentException(folder + " is not a plain folder here");
        }
      }
    }
    dir = dir.normalize();
    if (!dir.startsWith(base)) {
      throw new IllegalArgumentException(folder + " leads out of " + base);
    }
    return dir;
  }

  private static String shown(String folder) {
    return folder == null ? "its share" : "folder " + folder;
  }
}
