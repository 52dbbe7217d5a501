package dev.swarmdex.engine.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one program that uses a data folder: a lock on {@code DIR/lock}, held while the program runs
 * and released by the operating system when it dies (kill -9 included), so a second index server or
 * supernode started on the same folder stops at once with a clear line instead of fighting the
 * first over its database and index. The file holds the owner's process id, for that line.
 *
 * <pre>{@code
 * try (DataFolderLock lock = DataFolderLock.acquire(dataDir, "index server")) { ... }
 * }</pre>
 */
public final class DataFolderLock implements AutoCloseable {
  /** The data folder is another running program's. */
  public static final class InUse extends IOException {
    InUse(String message) {
      super(message);
    }

    /** The refusal behind {@code error} (it or one of its causes), or null. */
    public static InUse in(Throwable error) {
      for (Throwable e = error; e != null; e = e.getCause()) {
        if (e instanceof InUse found) {
          return found;
        }
      }
      return null;
    }
  }

  private final FileChannel channel;
  private final FileLock lock;

  private DataFolderLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code folder} for this process.
   *
   * @param program what this program is, for the refusal's message ("index server")
   * @throws InUse when another process (or this one) holds it
   */
  public static DataFolderLock acquire(Path folder, String program) throws IOException {
    Files.createDirectories(folder);
    Path file = folder.resolve("lock");
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      String owner = readOwner(channel);
      channel.close();
      throw new InUse(
          "another "
              + program
              + " is using the data folder "
              + folder.toAbsolutePath()
              + (owner.isEmpty() ? "" : " (process " + owner + ")")
              + ": stop it, or give this one its own --data");
    }
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
        0);
    channel.force(false);
    return new DataFolderLock(channel, lock);
  }

  private static String readOwner(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(32);
      channel.read(buffer, 0);
      return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
