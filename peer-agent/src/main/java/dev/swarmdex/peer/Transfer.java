package dev.swarmdex.peer;

import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PrivateFiles;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * One download of the agent's {@link TransferQueue} as its owner sees it: {@code state} is {@code
 * queued}, {@code running}, {@code paused}, {@code done} or {@code failed} (with {@code error});
 * {@code bytes} verified of {@code size} (-1 until located), {@code chunksVerified} of {@code
 * chunks} (0 of 0 until planned), the speed over the last seconds and the seconds left at it (null
 * when unknown), the bytes each source delivered (and how fast lately), {@code file} where it goes
 * (or went), {@code position} in the queue (0 for a finished one).
 */
public record Transfer(
    String sha256,
    String name,
    long size,
    String state,
    long bytes,
    int chunksVerified,
    int chunks,
    long bytesPerSecond,
    Long etaSeconds,
    List<SourceBytes> sources,
    String file,
    boolean shared,
    String error,
    int position) {

  /** Bytes one source (by address) delivered that passed the check, and its recent speed. */
  public record SourceBytes(String url, long bytes, long bytesPerSecond) {}

  /** Whether the transfer ended, well or not. */
  public boolean finished() {
    return state.equals(TransferQueue.DONE) || state.equals(TransferQueue.FAILED);
  }

  /**
   * A transfer as {@value TransferQueue#FILE} keeps it: what to fetch and where, its state and the
   * bytes verified when it was last saved.
   */
  record Stored(
      String sha256,
      String name,
      long size,
      String out,
      Long patienceSeconds,
      String state,
      long bytes,
      String file,
      boolean shared,
      String error) {

    /**
     * Whether it goes to {@code target} (absolute, normalized), ignoring case: on a
     * case-insensitive disk two names can be one file.
     */
    boolean goesTo(String target) {
      return out != null
          && java.nio.file.Path.of(out)
              .toAbsolutePath()
              .normalize()
              .toString()
              .equalsIgnoreCase(target);
    }

    /** A new download, waiting its turn. */
    static Stored queued(Sha256 sha256, String name, Long size, Path out, Duration patience) {
      String where = out == null ? null : out.toString();
      long bytes = size == null ? -1 : size;
      return new Stored(
          sha256.hex(),
          name,
          bytes,
          where,
          patience.toSeconds(),
          TransferQueue.QUEUED,
          0,
          null,
          false,
          null);
    }

    /** Keeps the newest {@code keep} finished transfers of {@code all}. */
    static void forgetOld(List<Stored> all, int keep) {
      long finished = all.stream().filter(Stored::finished).count();
      for (var it = all.iterator(); finished > keep && it.hasNext(); ) {
        if (it.next().finished()) {
          it.remove();
          finished--;
        }
      }
    }

    Stored with(String newState, long newBytes, String why) {
      return new Stored(
          sha256, name, size, out, patienceSeconds, newState, newBytes, file, shared, why);
    }

    Stored located(Path target, long newSize) {
      String named = name != null ? name : target.getFileName() + "";
      return new Stored(
          sha256, named, newSize, out, patienceSeconds, state, bytes, target + "", shared, error);
    }

    Stored done(PeerAgent.Downloaded done) {
      String named = name != null ? name : done.file().getFileName() + "";
      return new Stored(
          sha256,
          named,
          done.bytes(),
          out,
          patienceSeconds,
          TransferQueue.DONE,
          done.bytes(),
          done.file() + "",
          done.shared(),
          null);
    }

    boolean finished() {
      return state.equals(TransferQueue.DONE) || state.equals(TransferQueue.FAILED);
    }
  }

  /** What {@value TransferQueue#FILE} holds. */
  record Saved(int version, List<Stored> transfers) {
    /**
     * The transfers kept in {@code file}: none when it is missing; an unreadable file is set aside
     * (as {@code FILE.unreadable}) and the queue starts empty.
     */
    /** Writes {@code transfers} to {@code file}, owner-only and atomically; logs a failure. */
    static void write(Path file, List<Stored> transfers) {
      try {
        PrivateFiles.write(file, Json.write(new Saved(1, List.copyOf(transfers))));
      } catch (IOException e) {
        LoggerFactory.getLogger(TransferQueue.class)
            .warn("cannot save the download queue to {}: {}", file, e.toString());
      }
    }

    static List<Stored> read(Path file) throws IOException {
      if (!Files.exists(file)) {
        return List.of();
      }
      Saved saved;
      try {
        saved = Json.read(Files.readAllBytes(file), Saved.class);
      } catch (RuntimeException e) {
        Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
        LoggerFactory.getLogger(TransferQueue.class)
            .warn(
                "{} is unreadable ({}); the queue starts empty, the file is kept as {}",
                file,
                e,
                aside);
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        return List.of();
      }
      List<Stored> valid = new ArrayList<>();
      for (Stored stored : saved.transfers() == null ? List.<Stored>of() : saved.transfers()) {
        if (stored != null
            && stored.sha256() != null
            && Sha256.isValid(stored.sha256())
            && stored.state() != null) {
          valid.add(stored);
        }
      }
      return valid;
    }
  }
}
