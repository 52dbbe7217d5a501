package dev.swarmdex.peer;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's state folder and the files in it that hold secrets (its credentials, keys, the local
 * control endpoint): readable by their owner only, 0700 folders and 0600 files on POSIX. Every
 * secret the agent writes goes through {@link #write}.
 */
final class PrivateFiles {
  private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
  private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /**
   * Creates {@code dir} (and any missing parents) owner-only, or narrows it to its owner when it
   * already exists with access for others.
   */
  static void folder(Path dir) throws IOException {
    if (!posix()) {
      Files.createDirectories(dir);
      return;
    }
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER));
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(dir);
    if (!now.equals(OWNER_ONLY_FOLDER)) {
      Files.setPosixFilePermissions(dir, OWNER_ONLY_FOLDER);
      LOG.info(
          "made {} readable by its owner only (it was {})",
          dir,
          PosixFilePermissions.toString(now));
    }
  }

  /**
   * Writes {@code bytes} to {@code file} atomically (a temporary file beside it, then a move), the
   * temporary file created owner-only before anything is written into it, in an owner-only folder.
   */
  static void write(Path file, byte[] bytes) throws IOException {
    folder(file.toAbsolutePath().getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    if (posix()) {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
    }
    Files.write(temp, bytes);
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
