package dev.swarmdex.index;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's files that are nobody else's business: the data folder and the embedded database
 * (0700 folders, 0600 files on POSIX), and the admin password file, refused when others can read
 * it. On a file system without POSIX permissions nothing is checked or changed.
 */
final class PrivateFiles {
  private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
  private static final Set<PosixFilePermission> FOLDER =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  private PrivateFiles() {}

  /**
   * Creates {@code dir} (and missing parents) owner-only, or narrows it to its owner when it exists
   * with access for others.
   */
  static void folder(Path dir) throws IOException {
    if (!posix()) {
      Files.createDirectories(dir);
      return;
    }
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(FOLDER));
    narrow(dir, FOLDER);
  }

  /**
   * Narrows every regular file directly in {@code dir} to its owner (files another program created
   * under the process's umask, such as the embedded database's).
   */
  static void filesIn(Path dir) throws IOException {
    if (!posix() || !Files.isDirectory(dir)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(dir)) {
      files = listed.filter(Files::isRegularFile).toList();
    }
    for (Path file : files) {
      narrow(file, FILE);
    }
  }

  /**
   * Checks that a secret handed to the server in {@code file} (named by {@code flag}) can be read
   * and written by its owner only.
   *
   * @throws IllegalArgumentException saying how to fix it, when group or others have access
   */
  static void requireOwnerOnly(Path file, String flag) throws IOException {
    if (!posix()) {
      return;
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
    if (mode.stream().anyMatch(OTHERS::contains)) {
      throw new IllegalArgumentException(
          flag
              + " "
              + file
              + " can be read by others ("
              + PosixFilePermissions.toString(mode)
              + "); make it its owner's only: chmod 600 "
              + file);
    }
  }

  private static void narrow(Path path, Set<PosixFilePermission> wanted) throws IOException {
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(path);
    if (!now.equals(wanted)) {
      Files.setPosixFilePermissions(path, wanted);
      LOG.info(
          "made {} its owner's only ({} -> {})",
          path,
          PosixFilePermissions.toString(now),
          PosixFilePermissions.toString(wanted));
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
