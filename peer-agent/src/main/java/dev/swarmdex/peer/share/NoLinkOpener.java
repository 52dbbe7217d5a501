package dev.swarmdex.peer.share;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Opens a file below a share's root by walking its real path one name at a time, each name opened
 * relative to the folder already open and without following a link ({@code openat} with {@code
 * O_NOFOLLOW}, through {@link SecureDirectoryStream}). A folder or file on the way that became a
 * link after the path was checked makes the open fail, so the file read is the one the checked path
 * names: no window between a check and a second open exists.
 *
 * <p>Where the platform has no {@link SecureDirectoryStream} (Windows), the file is opened by its
 * path and the path is resolved and checked again after the open; a link swapped in and back
 * between the two is not caught there.
 */
final class NoLinkOpener {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final Set<OpenOption> READ_NOFOLLOW = Set.of(StandardOpenOption.READ, NOFOLLOW);

  private NoLinkOpener() {}

  /**
   * The file at {@code real} (a real path strictly below the real folder {@code root}), opened for
   * reading with no link followed below {@code root}.
   *
   * @throws IOException if it cannot be opened so, among others because a name on the way is now a
   *     link or no longer a folder
   */
  static FileChannel open(Path root, Path real) throws IOException {
    if (!real.startsWith(root) || real.equals(root)) {
      throw new IOException(real + " is not below " + root);
    }
    Path names = root.relativize(real);
    DirectoryStream<Path> top = Files.newDirectoryStream(root);
    if (!(top instanceof SecureDirectoryStream<Path> dir)) {
      top.close();
      return openAndRecheck(root, real);
    }
    try {
      for (int i = 0; i < names.getNameCount() - 1; i++) {
        SecureDirectoryStream<Path> next = dir.newDirectoryStream(names.getName(i), NOFOLLOW);
        dir.close();
        dir = next;
      }
      SeekableByteChannel channel = dir.newByteChannel(names.getFileName(), READ_NOFOLLOW);
      if (channel instanceof FileChannel file) {
        return file;
      }
      channel.close();
      throw new IOException("no file channel for " + real);
    } catch (FileSystemException e) {
      throw new FileSystemException(
          real.toString(),
          null,
          "a name on its way is now a link or gone (" + e.getMessage() + ")");
    } finally {
      dir.close();
    }
  }

  private static FileChannel openAndRecheck(Path root, Path real) throws IOException {
    FileChannel file = FileChannel.open(real, StandardOpenOption.READ);
    try {
      Path again = real.toRealPath();
      if (!again.equals(real) || !Share.visibleBelow(root, again)) {
        throw new FileSystemException(real.toString(), null, "moved while being opened");
      }
      return file;
    } catch (IOException e) {
      file.close();
      throw e;
    }
  }
}
