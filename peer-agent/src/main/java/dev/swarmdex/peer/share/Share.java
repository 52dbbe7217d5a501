package dev.swarmdex.peer.share;

import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of a shared folder: one entry per distinct content id. When the same bytes
 * lie in the folder twice, the first path in sorted order is the one served and published.
 *
 * <pre>{@code
 * Share share = scanner.scan();
 * Optional<ShareEntry> entry = share.find(sha);
 * }</pre>
 */
public final class Share {
  private static final Comparator<SharedFile> BY_NAME =
      Comparator.comparing(SharedFile::name).thenComparing(f -> f.sha256().hex());

  private final Path root;
  private final Map<Sha256, ShareEntry> bySha;
  private final List<SharedFile> files;

  private Share(Path root, Map<Sha256, ShareEntry> bySha) {
    this.root = root;
    this.bySha = bySha;
    this.files = bySha.values().stream().map(ShareEntry::file).sorted(BY_NAME).toList();
  }

  /** A share of {@code root} with nothing in it yet. */
  public static Share empty(Path root) {
    return new Share(Objects.requireNonNull(root, "root"), Map.of());
  }

  /**
   * A share of {@code root} holding {@code entries}; for duplicate content ids the first entry
   * wins, so pass them in sorted path order.
   */
  public static Share of(Path root, Collection<ShareEntry> entries) {
    Map<Sha256, ShareEntry> bySha = new LinkedHashMap<>();
    for (ShareEntry entry : entries) {
      if (bySha.size() >= Limits.MAX_ENTRIES_PER_PEER
          && !bySha.containsKey(entry.file().sha256())) {
        continue; // a directory holds no more for one peer; the rest are not shared
      }
      bySha.putIfAbsent(entry.file().sha256(), entry);
    }
    return new Share(
        Objects.requireNonNull(root, "root"), java.util.Collections.unmodifiableMap(bySha));
  }

  /** The folder's real path: every served file's real path must lie below it. */
  public Path root() {
    return root;
  }

  /**
   * Whether a file whose real path (every link resolved) is {@code real} may be served from this
   * share: it lies below the root with no hidden name (a leading dot, or a {@code .part} download)
   * on the way. The scanner holds every file it finds to the same rule.
   */
  public boolean admits(Path real) {
    return visibleBelow(root, real);
  }

  /**
   * Opens for reading the file whose real path is {@code real}, if this share {@link #admits} it,
   * walking that path from the root one name at a time without following any link: a folder on the
   * way swapped for a link after {@code real} was resolved and checked makes the open fail (see
   * {@link NoLinkOpener}). Read what is shared from the channel returned, never by opening the path
   * again.
   *
   * @throws IOException if the share does not admit {@code real} or it cannot be opened so
   */
  public FileChannel open(Path real) throws IOException {
    if (!admits(real)) {
      throw new FileSystemException(real.toString(), null, "outside the share or hidden");
    }
    return NoLinkOpener.open(root, real);
  }

  /** Whether {@code path} lies strictly below {@code root} with no hidden name on the way. */
  static boolean visibleBelow(Path root, Path path) {
    if (!path.startsWith(root) || path.equals(root)) {
      return false;
    }
    for (Path name : root.relativize(path)) {
      if (hidden(name.toString())) {
        return false;
      }
    }
    return true;
  }

  /** Whether a file or folder name is never shared: a dot file, or a download's {@code .part}. */
  static boolean hidden(String name) {
    return name.startsWith(".") || name.endsWith(".part");
  }

  /** The entry serving {@code sha256}, if the folder holds that content. */
  public Optional<ShareEntry> find(Sha256 sha256) {
    return Optional.ofNullable(bySha.get(sha256));
  }

  /** Whether the folder holds {@code sha256}. */
  public boolean contains(Sha256 sha256) {
    return bySha.containsKey(sha256);
  }

  /** The published entries, ordered by name. */
  public List<SharedFile> files() {
    return files;
  }

  /** Every entry, in sorted path order. */
  public Collection<ShareEntry> entries() {
    return bySha.values();
  }

  /** How many distinct contents are shared. */
  public int size() {
    return bySha.size();
  }
}
