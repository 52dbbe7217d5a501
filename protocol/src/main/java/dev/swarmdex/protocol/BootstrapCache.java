package dev.swarmdex.protocol;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories a peer has seen (as KaZaA's supernode list or eMule's {@code server.met}): id,
 * base URL and when last seen, the most recent first, at most {@link #MAX_ENTRIES}. Kept in a file
 * of the peer's state folder, owner-only and written atomically ({@link PrivateFiles#write}), so a
 * returning peer finds a live supernode while the index server is away. An unreadable file is an
 * empty cache, never a failure.
 *
 * <pre>{@code
 * BootstrapCache cache = BootstrapCache.open(stateDir.resolve("directories.json"), clock);
 * cache.saw(List.of(new Neighbour("s1", "http://10.0.0.2:7000")));
 * for (String url : cache.urls()) { ... }
 * }</pre>
 */
public final class BootstrapCache {
  private static final Logger LOG = LoggerFactory.getLogger(BootstrapCache.class);

  /** Directories kept at most; the least recently seen go first. */
  public static final int MAX_ENTRIES = 64;

  /** A directory as last seen: its id (its URL when the peer never learnt it), URL, when. */
  public record Entry(String id, String url, long lastSeen) {
    public Entry {
      Require.text("id", id, 256);
      Require.text("url", url, 256);
      URI parsed = URI.create(url);
      if (!"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme())) {
        throw new IllegalArgumentException("url must be http or https");
      }
    }
  }

  /** The file's contents. */
  record Stored(List<Entry> directories) {}

  private final Path file;
  private final Clock clock;
  private final Map<String, Entry> byId = new LinkedHashMap<>();

  private BootstrapCache(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** The cache kept in {@code file}: what it holds now (nothing when missing or unreadable). */
  public static BootstrapCache open(Path file, Clock clock) {
    BootstrapCache cache = new BootstrapCache(file, clock);
    if (Files.isRegularFile(file)) {
      try {
        Stored stored = Json.readAnswer(Files.readAllBytes(file), Stored.class);
        for (Entry entry : stored.directories() == null ? List.<Entry>of() : stored.directories()) {
          if (entry != null) {
            cache.byId.put(entry.id(), entry);
          }
        }
        cache.trim();
      } catch (IOException | RuntimeException e) {
        LOG.warn("ignoring unreadable directory cache {}: {}", file, e.getMessage());
      }
    }
    return cache;
  }

  /** Records {@code directories} as seen now and writes the file when the set changed. */
  public void saw(List<Neighbour> directories) {
    record(directories.stream().map(d -> new String[] {d.id(), d.url()}).toList());
  }

  /** Records directories known by URL only (as a join's answer names them). */
  public void sawUrls(List<String> urls) {
    record(urls.stream().map(url -> new String[] {url, url}).toList());
  }

  private synchronized void record(List<String[]> idAndUrl) {
    boolean changed = false;
    long now = clock.millis();
    for (String[] directory : idAndUrl) {
      Entry entry;
      try {
        entry = new Entry(directory[0], directory[1], now);
      } catch (IllegalArgumentException e) {
        continue; // not a URL a peer could call
      }
      Entry before = byId.put(entry.id(), entry);
      changed |= before == null || !before.url().equals(entry.url());
    }
    trim();
    if (changed) {
      save();
    }
  }

  /** The base URLs, most recently seen first, without {@code except} (null for none). */
  public synchronized List<String> urls(String except) {
    return byId.values().stream()
        .sorted(Comparator.comparingLong(Entry::lastSeen).reversed())
        .map(Entry::url)
        .filter(url -> !url.equals(except))
        .distinct()
        .toList();
  }

  /** The entries, most recently seen first. */
  public synchronized List<Entry> entries() {
    return byId.values().stream()
        .sorted(Comparator.comparingLong(Entry::lastSeen).reversed())
        .toList();
  }

  /** Writes the cache now (also after a change of last-seen times only). */
  public synchronized void save() {
    try {
      PrivateFiles.write(file, Json.write(new Stored(new ArrayList<>(entries()))));
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot write the directory cache {}: {}", file, e.toString());
    }
  }

  private void trim() {
    while (byId.size() > MAX_ENTRIES) {
      String oldest =
          byId.values().stream().min(Comparator.comparingLong(Entry::lastSeen)).orElseThrow().id();
      byId.remove(oldest);
    }
  }
}
