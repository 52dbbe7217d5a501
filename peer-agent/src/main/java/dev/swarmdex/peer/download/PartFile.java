package dev.swarmdex.peer.download;

import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file on disk of one download: the pre-sized {@code OUT.part} that chunks are written into in
 * place, its hidden resume state ({@link ResumeState}), the whole file's digest fed in file order
 * as chunks are verified, and the final check and move to {@code OUT}. Chunks may be written from
 * several threads at once; everything else is called by one thread at a time (the download's lock
 * held).
 */
final class PartFile {
  private static final Logger LOG = LoggerFactory.getLogger(PartFile.class);
  private static final long STATE_SAVE_MILLIS = 500;

  private final Sha256 sha256;
  private final long size;
  private final Sha256 treeRoot;
  private final Path target;
  private final Path part;
  private final Path stateFile;
  private FileChannel channel;
  // The whole file's digest, fed in file order as chunks are verified, so the final check hashes
  // only what is left instead of reading the whole file again.
  private final MessageDigest whole = HashTree.newDigest();
  private int hashedChunks;
  private long lastSave;

  PartFile(Sha256 sha256, long size, Sha256 treeRoot, Path target) {
    this.sha256 = sha256;
    this.size = size;
    this.treeRoot = treeRoot;
    this.target = target;
    this.part = Downloader.partOf(target);
    this.stateFile = Downloader.stateOf(target);
  }

  /** The saved state when it is of this content and size, else null (and it is removed). */
  ResumeState loadState() throws IOException {
    if (!Files.isRegularFile(stateFile) || !Files.isRegularFile(part)) {
      Files.deleteIfExists(stateFile);
      return null;
    }
    try {
      ResumeState state = ResumeState.decode(Files.readAllBytes(stateFile));
      boolean same =
          state.sha256().equals(sha256)
              && state.size() == size
              && (treeRoot == null || state.tree() == null || state.tree().root().equals(treeRoot))
              && Files.size(part) == size;
      if (same) {
        return state;
      }
      LOG.info("{} is of another download; starting over", stateFile);
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring {}: {}", stateFile, e.getMessage());
    }
    Files.deleteIfExists(stateFile);
    return null;
  }

  /** Removes a {@code .part} whose chunks cannot be reused. */
  void discard() throws IOException {
    Files.deleteIfExists(part);
  }

  /** Opens (creating) the part and sizes it to the file's size (sparse where possible). */
  void open() throws IOException {
    channel =
        FileChannel.open(
            part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    if (channel.size() != size) {
      channel.truncate(Math.min(channel.size(), size));
      if (size > 0 && channel.size() < size) {
        channel.write(ByteBuffer.allocate(1), size - 1); // pre-size (sparse where possible)
      }
    }
  }

  boolean isOpen() {
    return channel != null;
  }

  /** Writes a chunk in place; may run on several threads at once. */
  void write(int chunk, byte[] data) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(data);
    long at = HashTree.chunkStart(chunk);
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }

  /**
   * Writes the state ({@code tree} and the chunks {@code done}), at most every 0.5 s unless {@code
   * now}.
   */
  void saveState(HashTree tree, BitSet done, boolean now) throws IOException {
    long time = System.nanoTime();
    if (!now && time - lastSave < TimeUnit.MILLISECONDS.toNanos(STATE_SAVE_MILLIS)) {
      return;
    }
    lastSave = time;
    channel.force(false); // the chunks the state calls verified are on disk first
    Path temp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
    Files.write(temp, new ResumeState(sha256, size, tree, done).encode());
    move(temp, stateFile);
  }

  void close() throws IOException {
    channel.close();
  }

  /**
   * Feeds the whole-file digest every verified chunk that is next in file order: {@code data} when
   * it is {@code chunk}, else read back from the part.
   */
  void hashInOrder(ChunkPlan plan, int chunk, byte[] data) throws IOException {
    int count = HashTree.chunkCount(size);
    while (hashedChunks < count && plan.isDone(hashedChunks)) {
      if (hashedChunks == chunk) {
        whole.update(data);
      } else {
        whole.update(readChunk(channel, hashedChunks));
      }
      hashedChunks++;
    }
  }

  private byte[] readChunk(FileChannel from, int index) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(HashTree.chunkLength(size, index));
    long at = HashTree.chunkStart(index);
    while (buffer.hasRemaining()) {
      int read = from.read(buffer, at + buffer.position());
      if (read < 0) {
        throw new IOException("the part file is shorter than chunk " + index);
      }
    }
    return buffer.array();
  }

  /**
   * Checks the finished {@code .part} against the content id, hashing only the chunks not yet fed
   * in order (none when the download ran to the end; all of them after a resume); a mismatch
   * discards it.
   *
   * @param failures the download's failures, named in the exception
   */
  void verifyWhole(List<String> failures) throws IOException {
    MessageDigest digest = whole;
    try (FileChannel in = FileChannel.open(part, StandardOpenOption.READ)) {
      for (int index = hashedChunks; index < HashTree.chunkCount(size); index++) {
        digest.update(readChunk(in, index));
      }
    }
    Sha256 actual = Sha256.ofDigest(digest.digest());
    if (!actual.equals(sha256)) {
      Files.deleteIfExists(part);
      Files.deleteIfExists(stateFile);
      throw new DownloadException(
          "the downloaded file does not match " + sha256 + " (got " + actual + "); discarded",
          failures);
    }
  }

  /** Moves the verified part into place and removes its state. */
  void moveIntoPlace() throws IOException {
    move(part, target);
    Files.deleteIfExists(stateFile);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
