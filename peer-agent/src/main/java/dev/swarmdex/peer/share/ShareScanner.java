package dev.swarmdex.peer.share;

import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.SharedFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans a shared folder recursively and hashes what it finds: each file's SHA-256 and, in the same
 * pass, the digests of its 1 MiB chunks (its {@link HashTree}, whose root is published with it).
 * Only regular files are shared; hidden names (starting with a dot) are skipped, as are {@code
 * .part} files of unfinished downloads, anything whose real path lies outside the folder (a
 * symbolic link pointing out of it is never followed) and anything whose real path has a hidden
 * name below the folder (a visible link {@code keys -> .ssh} or {@code id -> .ssh/id_rsa} shares
 * nothing). The rule holds for every name on the way, before and after links are resolved. Hashes
 * are cached by relative path, size and modification time in a file, so a rescan or a restarted
 * agent re-reads only files that changed. A download in progress is never shared: its {@code .part}
 * and hidden state files are skipped, and the finished file appears only once it is complete.
 *
 * <pre>{@code
 * ShareScanner scanner = new ShareScanner(Path.of("/srv/share"), stateDir.resolve("hashes.json"));
 * Share first = scanner.scan();
 * ShareDiff diff = ShareDiff.between(first, scanner.scan());
 * }</pre>
 *
 * <p>Not thread-safe: one thread scans at a time.
 */
public final class ShareScanner {
  private static final Logger LOG = LoggerFactory.getLogger(ShareScanner.class);
  private static final int BUFFER_BYTES = 1 << 20;

  private final Path root;
  private final Path cacheFile;
  private final HashCache cache;
  private final AtomicLong bytesHashed = new AtomicLong();
  private final ScanStatus status = new ScanStatus();

  /**
   * A scanner of {@code root} keeping its hash cache in {@code cacheFile} (which may lie inside the
   * folder; its directory is then not shared).
   */
  public ShareScanner(Path root, Path cacheFile) {
    this.root = root.toAbsolutePath().normalize();
    this.cacheFile = cacheFile.toAbsolutePath().normalize();
    this.cache = HashCache.load(this.cacheFile);
  }

  /** Total bytes read for hashing by this scanner so far (cache hits read nothing). */
  public long bytesHashed() {
    return bytesHashed.get();
  }

  /** How the scans are going: hashing progress and what the latest scan could not read. */
  public ScanStatus status() {
    return status;
  }

  /** Scans the folder now, hashing new and changed files, and saves the cache. */
  public Share scan() throws IOException {
    status.started();
    try {
      return scanNow();
    } finally {
      status.ended();
    }
  }

  private Share scanNow() throws IOException {
    long started = System.nanoTime();
    Path realRoot = root.toRealPath();
    List<Found> found = walk(realRoot);
    found.sort(Comparator.comparing(Found::relativePath));

    List<Found> toHash = new ArrayList<>();
    long bytesToHash = 0;
    for (Found f : found) {
      if (cache.lookup(f.relativePath, f.size, f.modifiedNanos) == null) {
        toHash.add(f);
        bytesToHash += f.size;
      }
    }
    if (!toHash.isEmpty()) {
      LOG.info("hashing {} files ({} bytes) in {}", toHash.size(), bytesToHash, realRoot);
    }
    HashProgress progress = HashProgress.forConsole(toHash.size(), bytesToHash);
    status.hashing(toHash.size(), bytesToHash);
    long[] done = {0};
    int filesDone = 0;
    for (Found f : toHash) {
      int index = filesDone;
      try {
        HashCache.Hashes hashes =
            hash(
                realRoot,
                f.real,
                n -> {
                  done[0] += n;
                  progress.update(index, done[0]);
                  status.hashed(index, done[0]);
                });
        BasicFileAttributes after = Files.readAttributes(f.real, BasicFileAttributes.class);
        if (after.size() == f.size && nanos(after) == f.modifiedNanos) {
          cache.put(f.relativePath, f.size, f.modifiedNanos, hashes);
        } else {
          LOG.info("{} changed while being hashed; it is picked up by the next scan", f.path);
        }
      } catch (IOException e) {
        LOG.warn("cannot hash {}: {}", f.path, e.getMessage());
        status.failed(f.relativePath, reason(e));
      }
      filesDone++;
      progress.update(filesDone, done[0]);
      status.hashed(filesDone, done[0]);
    }
    progress.finish();

    List<ShareEntry> entries = new ArrayList<>();
    Set<String> present = new HashSet<>();
    for (Found f : found) {
      present.add(f.relativePath);
      HashCache.Hashes hashes = cache.lookup(f.relativePath, f.size, f.modifiedNanos);
      if (hashes != null) {
        SharedFile published =
            new SharedFile(
                f.name,
                f.size,
                hashes.sha256(),
                hashes.tree().root(),
                SharedFolder.of(f.relativePath));
        entries.add(
            new ShareEntry(f.relativePath, f.path, published, f.modifiedNanos, hashes.tree()));
      }
    }
    cache.retain(present);
    cache.saveIfChanged();
    Share share = Share.of(realRoot, entries);
    long distinct = entries.stream().map(e -> e.file().sha256()).distinct().count();
    if (distinct > share.size()) {
      LOG.warn(
          "{} holds {} distinct files; a directory takes at most {} per peer, so {} are not shared",
          realRoot,
          distinct,
          Limits.MAX_ENTRIES_PER_PEER,
          distinct - share.size());
    }
    // A rescan that found nothing to hash is routine: only worth a line when debugging.
    LOG.atLevel(toHash.isEmpty() ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO)
        .log(
            "scanned {}: {} files, {} distinct, {} hashed, in {} ms",
            realRoot,
            found.size(),
            share.size(),
            toHash.size(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return share;
  }

  /**
   * The SHA-256 of the file at the real path {@code real} below {@code realRoot} and the digests of
   * its chunks, read once as a stream; {@code onRead} hears of every block read. The file is opened
   * with no link followed below the root ({@link NoLinkOpener}), so a folder on the way swapped for
   * a link after the walk checked it hashes nothing behind it.
   */
  HashCache.Hashes hash(Path realRoot, Path real, LongConsumer onRead) throws IOException {
    MessageDigest whole = newDigest();
    MessageDigest chunk = newDigest();
    ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    byte[] buffer = new byte[BUFFER_BYTES];
    long size = 0;
    int inChunk = 0;
    try (InputStream in = Channels.newInputStream(NoLinkOpener.open(realRoot, real))) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        whole.update(buffer, 0, n);
        int at = 0;
        while (at < n) {
          int take = Math.min(n - at, HashTree.CHUNK_SIZE - inChunk);
          chunk.update(buffer, at, take);
          at += take;
          inChunk += take;
          if (inChunk == HashTree.CHUNK_SIZE) {
            chunks.writeBytes(chunk.digest());
            inChunk = 0;
          }
        }
        size += n;
        bytesHashed.addAndGet(n);
        onRead.accept(n);
      }
    }
    if (inChunk > 0) {
      chunks.writeBytes(chunk.digest());
    }
    return new HashCache.Hashes(
        Sha256.ofDigest(whole.digest()), HashTree.ofDigests(size, chunks.toByteArray()));
  }

  /**
   * A file the walk found at {@code path}, whose real path {@code real} was checked: the bytes
   * hashed are read from {@code real}, so a link swapped after the check changes nothing hashed.
   */
  private record Found(
      String relativePath, Path path, Path real, String name, long size, long modifiedNanos) {}

  private List<Found> walk(Path realRoot) throws IOException {
    // The state folder's secrets are excluded when it lies in the share (or is it); a state folder
    // holding the share (hashes in DIR, share in DIR/music) keeps its files outside the share.
    Path state = realPathOrNull(cacheFile.getParent());
    Path excluded = state != null && state.startsWith(realRoot) ? state : null;
    List<Found> found = new ArrayList<>();
    Files.walkFileTree(
        realRoot,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(realRoot)) {
              return FileVisitResult.CONTINUE;
            }
            return shareable(dir) != null ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            Path real = attrs.isRegularFile() ? shareable(file) : null;
            if (real == null) {
              return FileVisitResult.CONTINUE;
            }
            String name = publishedName(file.getFileName().toString());
            if (name == null) {
              LOG.debug("not sharing {}: its name cannot be published", file);
              return FileVisitResult.CONTINUE;
            }
            String relative = realRoot.relativize(file).toString().replace('\\', '/');
            found.add(new Found(relative, file, real, name, attrs.size(), nanos(attrs)));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            LOG.debug("skipping {}: {}", file, e.toString());
            if (Share.visibleBelow(realRoot, file)) {
              status.failed(realRoot.relativize(file).toString().replace('\\', '/'), reason(e));
            }
            return FileVisitResult.CONTINUE;
          }

          /**
           * The real path of {@code path} if it may be shared, else null: no hidden name on the way
           * to it, neither as the walk reached it nor once every symbolic link on the way is
           * resolved (a visible {@code keys -> .ssh} shares nothing), inside the folder, and not in
           * the agent's state folder.
           */
          private Path shareable(Path path) {
            if (!Share.visibleBelow(realRoot, path)) {
              return null;
            }
            try {
              Path real = path.toRealPath();
              if (!Share.visibleBelow(realRoot, real)) {
                LOG.debug(
                    "not sharing {}: it leads outside {} or to a hidden name", path, realRoot);
                return null;
              }
              return excluded != null && real.startsWith(excluded) ? null : real;
            } catch (IOException e) {
              return null;
            }
          }
        });
    return found;
  }

  /** Why a file could not be read, in a few words. */
  private static String reason(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemLoopException) {
      return "a link here loops back to a folder above it";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "gone while scanning";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static Path realPathOrNull(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return null;
    }
  }

  /** The file name as published, or null when it cannot be (too long, only control characters). */
  static String publishedName(String fileName) {
    StringBuilder out = new StringBuilder(fileName.length());
    for (int i = 0; i < fileName.length(); i++) {
      char c = fileName.charAt(i);
      out.append(Character.isISOControl(c) || c == '\\' || c == '/' ? '_' : c);
    }
    String name = out.toString();
    if (name.isBlank() || name.length() > Limits.MAX_FILE_NAME) {
      return null;
    }
    return name;
  }

  private static long nanos(BasicFileAttributes attrs) {
    return attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
