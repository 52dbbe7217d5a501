package dev.swarmdex.protocol;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files that are nobody else's business, for every Swarmdex program: its own folders (an agent's
 * state, a server's data and database) are 0700 and the secrets it writes 0600; a secret handed to
 * it by flag (a password, a private key, credentials) is refused when others can read it. On a file
 * system without POSIX permissions nothing is checked or changed.
 *
 * <p>A folder that already exists is narrowed only when it is plainly the program's own: owned by
 * this user, without the sticky bit (not {@code /tmp}), and not the working or home folder (so
 * {@code --data .} or {@code --state /tmp} changes nothing there but logs a warning). The secrets
 * written into such a folder are still 0600 each.
 *
 * <pre>{@code
 * PrivateFiles.folder(stateDir);
 * PrivateFiles.write(stateDir.resolve("peer.json"), bytes);
 * PrivateFiles.requireOwnerOnly(Path.of(file), "--admin-password-file");
 * }</pre>
 */
public final class PrivateFiles {
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
  private static final int STICKY = 01000;

  private PrivateFiles() {}

  /**
   * A secret file given by flag that group or others can read or write: its one-line message names
   * the flag and the file and says how to fix it.
   */
  public static final class OpenToOthers extends IllegalArgumentException {
    OpenToOthers(String message) {
      super(message);
    }
  }

  /**
   * Creates {@code dir} (and missing parents) owner-only; when it exists with access for others,
   * narrows it to its owner if it is plainly this program's own folder, else leaves it and warns.
   */
  public static void folder(Path dir) throws IOException {
    if (!posix()) {
      Files.createDirectories(dir);
      return;
    }
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(FOLDER));
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(dir);
    if (now.equals(FOLDER)) {
      return;
    }
    String shared = sharedFolder(dir);
    if (shared == null) {
      narrow(dir, FOLDER);
    } else if (now.stream().anyMatch(OTHERS::contains)) {
      LOG.warn(
          "{} is open to others ({}) and left so: it is {}; the secrets in it are 0600 each",
          dir,
          PosixFilePermissions.toString(now),
          shared);
    }
  }

  /**
   * Narrows every regular file directly in {@code dir} to its owner (files another program created
   * under the process's umask, such as an embedded database's).
   */
  public static void filesIn(Path dir) throws IOException {
    if (!posix() || !Files.isDirectory(dir)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(dir)) {
      files = listed.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList();
    }
    for (Path file : files) {
      narrow(file, FILE);
    }
  }

  /**
   * Writes {@code bytes} to {@code file} atomically (a temporary file beside it, then a move), the
   * temporary file created owner-only before anything is written into it, in an owner-only folder.
   */
  public static void write(Path file, byte[] bytes) throws IOException {
    folder(file.toAbsolutePath().getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    if (posix()) {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(FILE));
    }
    Files.write(temp, bytes);
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Checks that a secret handed to the program in {@code file} (named by {@code flag}) can be read
   * and written by its owner only.
   *
   * @throws OpenToOthers saying how to fix it, when group or others have access
   * @throws IOException when its permissions cannot be read (it is missing, say)
   */
  public static void requireOwnerOnly(Path file, String flag) throws IOException {
    if (!posix()) {
      return;
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
    UserPrincipal owner = Files.getOwner(file);
    UserPrincipal me = currentUser();
    if (me != null && !owner.equals(me)) {
      // Another user's file, even 0600, is that user's secret to change under this program.
      throw new OpenToOthers(
          flag
              + " "
              + file
              + " belongs to "
              + owner.getName()
              + ", not to "
              + me.getName()
              + " who runs this program: chown "
              + me.getName()
              + " "
              + file);
    }
    if (mode.stream().anyMatch(OTHERS::contains)) {
      throw new OpenToOthers(
          flag
              + " "
              + file
              + " can be read by others ("
              + PosixFilePermissions.toString(mode)
              + "); make it its owner's only: chmod 600 "
              + file);
    }
  }

  /** The user this program runs as, or null when it cannot be looked up. */
  private static UserPrincipal currentUser() {
    try {
      return FileSystems.getDefault()
          .getUserPrincipalLookupService()
          .lookupPrincipalByName(System.getProperty("user.name"));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Why the existing folder {@code dir} is not this program's alone to narrow, or null when it is:
   * not this user's, sticky (shared like {@code /tmp}), or the working or home folder.
   */
  private static String sharedFolder(Path dir) throws IOException {
    Path real = dir.toRealPath();
    if (real.equals(Path.of("").toRealPath())) {
      return "the working folder";
    }
    String home = System.getProperty("user.home");
    if (home != null && !home.isEmpty() && real.equals(Path.of(home).toRealPath())) {
      return "the home folder";
    }
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("unix")) {
      return "of unknown owner";
    }
    if (((Integer) Files.getAttribute(real, "unix:mode") & STICKY) != 0) {
      return "shared (sticky, like /tmp)";
    }
    UserPrincipal me;
    try {
      me =
          FileSystems.getDefault()
              .getUserPrincipalLookupService()
              .lookupPrincipalByName(System.getProperty("user.name"));
    } catch (IOException | RuntimeException e) {
      return "of unknown owner";
    }
    return Files.getOwner(real).equals(me) ? null : "another user's";
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
