package dev.swarmdex.peer;

import dev.swarmdex.peer.serve.UploadBoard;
import dev.swarmdex.peer.serve.UploadGate;
import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareEntry;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFolder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the web UI shows of the agent's own share and uploads, made from its {@link Activity}. */
final class ShareViews {
  /** Most folders listed. */
  static final int MAX_FOLDERS = 500;

  private ShareViews() {}

  /** One folder of the share ("" for its root): files directly in it and their bytes. */
  record Folder(String folder, int files, long bytes) {}

  /** One upload, with the path (below the share) of the file it sends, when still shared. */
  record Upload(
      String peerId,
      String ip,
      String sha256,
      String file,
      long bytes,
      long bytesPerSecond,
      long seconds) {}

  /** {@code GET /api/uploads}. */
  record Uploads(
      int slots, List<Upload> running, List<Upload> finished, List<UploadGate.Waiting> waiting) {}

  static List<Folder> folders(Share share) {
    Map<String, long[]> counts = new TreeMap<>();
    for (ShareEntry entry : share.entries()) {
      String folder = SharedFolder.of(entry.relativePath());
      long[] count = counts.computeIfAbsent(folder == null ? "" : folder, f -> new long[2]);
      count[0]++;
      count[1] += entry.size();
    }
    List<Folder> folders = new ArrayList<>();
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      if (folders.size() >= MAX_FOLDERS) {
        break;
      }
      folders.add(new Folder(e.getKey(), (int) e.getValue()[0], e.getValue()[1]));
    }
    return folders;
  }

  static Uploads uploads(Activity activity) {
    UploadBoard board = activity.uploads().board();
    return new Uploads(
        activity.uploads().slots(),
        board.running().stream().map(u -> upload(activity.share(), u)).toList(),
        board.finished().stream().map(u -> upload(activity.share(), u)).toList(),
        activity.uploads().waiting());
  }

  private static Upload upload(Share share, UploadBoard.Upload u) {
    String file =
        Sha256.isValid(u.sha256())
            ? share.find(Sha256.of(u.sha256())).map(ShareEntry::relativePath).orElse(null)
            : null;
    return new Upload(
        u.peerId(), u.ip(), u.sha256(), file, u.bytes(), u.bytesPerSecond(), u.seconds());
  }
}
