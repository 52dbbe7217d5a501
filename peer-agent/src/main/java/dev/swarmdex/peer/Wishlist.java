package dev.swarmdex.peer;

import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.Notification;
import dev.swarmdex.protocol.Notifications;
import dev.swarmdex.protocol.PrivateFiles;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Watch;
import dev.swarmdex.protocol.WatchRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's saved searches (its wishlist), kept in {@value #FILE} in its state folder: saved at
 * whichever directory the agent is attached to (again when it moves, and renewed every {@link
 * #RENEW} while online, so they never lapse there), and their notifications read every second. A
 * content is shown once per search however often it is told (a search saved again at a new
 * directory may be told again); a search with {@code autoDownload} queues what it finds for the
 * same verified, resumable download as {@code get}, into the shared folder: at most {@value
 * #MAX_DOWNLOADS} completed (verified) downloads each, counting those still queued or running, so a
 * download that fails or is cancelled (a junk match no source serves) gives its place back.
 */
final class Wishlist implements AutoCloseable {
  static final String FILE = "wishlist.json";
  static final int MAX_WISHES = 16;
  static final int MAX_DOWNLOADS = 5;
  static final int MAX_FOUND = 200;
  static final Duration RENEW = Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(Wishlist.class);

  /** A saved search: the agent's own id for it, what it asks, how many downloads completed. */
  record Wish(String id, WatchRequest query, int downloaded) {}

  /** What the file holds: the searches, and the contents each queued that have not ended yet. */
  record Saved(List<Wish> wishes, Map<String, List<String>> pending) {}

  /** A file a search found; {@code queued} when it was handed to the downloads. */
  record Found(String wish, String name, String sha256, long size, boolean queued) {}

  /** The wishlist as the control endpoint shows it. */
  record View(List<Wish> wishes, List<Found> found) {}

  private final Supplier<ApiClient> home;
  private final Supplier<Optional<Credentials>> me;
  private final TransferQueue transfers;
  private final Path file;
  private final Map<String, Wish> wishes = new LinkedHashMap<>();
  private final Map<String, String> remoteIds = new HashMap<>();
  private final Map<String, Set<String>> pending = new HashMap<>();
  private final Deque<Found> found = new ArrayDeque<>();
  private final Set<String> seen = new LinkedHashSet<>();
  private final ScheduledExecutorService timer;
  private URI savedAt;
  private long renewedAt;

  Wishlist(
      Supplier<ApiClient> home,
      Supplier<Optional<Credentials>> me,
      TransferQueue transfers,
      Path stateDir) {
    this.home = home;
    this.me = me;
    this.transfers = transfers;
    this.file = stateDir.resolve(FILE);
    try {
      if (Files.isRegularFile(file)) {
        Saved saved = Json.read(Files.readAllBytes(file), Saved.class);
        saved.wishes().forEach(wish -> wishes.put(wish.id(), wish));
        if (saved.pending() != null) {
          saved.pending().forEach((id, list) -> pending.put(id, new LinkedHashSet<>(list)));
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read {}: {}; starting with an empty wishlist", file, e.toString());
    }
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "wishlist");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  /** Adds a search, saved at the directory at once; refused past {@value #MAX_WISHES}. */
  synchronized Wish add(WatchRequest query) throws IOException {
    for (Wish wish : wishes.values()) {
      if (wish.query().equals(query)) {
        return wish;
      }
    }
    if (wishes.size() >= MAX_WISHES) {
      throw new TransferRefused(413, "too_many_watches", "at most " + MAX_WISHES + " searches");
    }
    Wish wish = new Wish(UUID.randomUUID().toString().substring(0, 8), query, 0);
    wishes.put(wish.id(), wish);
    persist();
    savedAt = null; // save everything at the next tick, within a second
    return wish;
  }

  /** Removes a search here and at the directory; false when there is none of that id. */
  synchronized boolean remove(String id) throws IOException {
    if (wishes.remove(id) == null) {
      return false;
    }
    pending.remove(id);
    persist();
    String remote = remoteIds.remove(id);
    Optional<Credentials> creds = me.get();
    ApiClient directory = home.get();
    if (remote != null && creds.isPresent() && directory != null) {
      try {
        directory.removeWatch(creds.get(), remote);
      } catch (ApiException e) {
        LOG.debug("the directory kept no search {}: {}", remote, e.getMessage());
      }
    }
    return true;
  }

  synchronized View view() {
    return new View(List.copyOf(wishes.values()), List.copyOf(found));
  }

  /** Saves (or renews) every search when due, then reads and handles the notifications. */
  private synchronized void tick() {
    settle();
    Optional<Credentials> creds = me.get();
    ApiClient directory = home.get();
    if (creds.isEmpty() || directory == null || wishes.isEmpty()) {
      return;
    }
    try {
      long now = System.currentTimeMillis();
      if (!directory.server().equals(savedAt) || now - renewedAt > RENEW.toMillis()) {
        for (Wish wish : wishes.values()) {
          Watch watch = directory.addWatch(creds.get(), wish.query());
          remoteIds.put(wish.id(), watch.id());
        }
        savedAt = directory.server();
        renewedAt = now;
      }
      Notifications told = directory.notifications(creds.get());
      long last = 0;
      for (Notification notification : told.notifications()) {
        handle(notification);
        last = notification.seq();
      }
      if (last > 0) {
        directory.acknowledge(creds.get(), last);
      }
    } catch (ApiException | IOException e) {
      LOG.debug("wishlist: {}", e.toString());
    } catch (RuntimeException e) {
      LOG.warn("wishlist failed", e);
    }
  }

  private void handle(Notification notification) throws IOException {
    String local = null;
    for (Map.Entry<String, String> entry : remoteIds.entrySet()) {
      if (entry.getValue().equals(notification.watchId())) {
        local = entry.getKey();
      }
    }
    Wish wish = local == null ? null : wishes.get(local);
    if (wish == null || !seen.add(local + notification.file().sha256().hex())) {
      return; // a search removed since, or a duplicate (two directories, a renewal)
    }
    if (seen.size() > 4 * MAX_FOUND) {
      seen.remove(seen.iterator().next());
    }
    Set<String> queued = pending.computeIfAbsent(local, id -> new LinkedHashSet<>());
    String hex = notification.file().sha256().hex();
    boolean queue =
        wish.query().autoDownload()
            && wish.downloaded() + queued.size() < MAX_DOWNLOADS
            && !queued.contains(hex);
    if (queue) {
      var file = notification.file();
      transfers.add(file.sha256(), file.name(), file.size(), null, Downloader.DEFAULT_PATIENCE);
      queued.add(hex);
      persist();
    }
    LOG.info("saved search '{}' found {}", wish.query().text(), notification.file().name());
    found.addLast(
        new Found(
            local,
            notification.file().name(),
            notification.file().sha256().hex(),
            notification.file().size(),
            queue));
    if (found.size() > MAX_FOUND) {
      found.removeFirst();
    }
  }

  /**
   * Counts each search's queued downloads that ended: a completed (verified) one as downloaded, a
   * failed or cancelled one not at all, so its place goes to the next match.
   */
  private void settle() {
    boolean changed = false;
    for (Map.Entry<String, Set<String>> entry : pending.entrySet()) {
      for (Iterator<String> it = entry.getValue().iterator(); it.hasNext(); ) {
        Transfer transfer = transfers.get(Sha256.of(it.next()));
        if (transfer != null && !transfer.finished()) {
          continue;
        }
        it.remove();
        changed = true;
        Wish wish = wishes.get(entry.getKey());
        if (wish != null && transfer != null && transfer.state().equals(TransferQueue.DONE)) {
          wishes.put(wish.id(), new Wish(wish.id(), wish.query(), wish.downloaded() + 1));
        }
      }
    }
    pending.values().removeIf(Set::isEmpty);
    if (changed) {
      try {
        persist();
      } catch (IOException e) {
        LOG.warn("cannot write {}: {}", file, e.toString());
      }
    }
  }

  private void persist() throws IOException {
    Map<String, List<String>> queued = new HashMap<>();
    pending.forEach((id, set) -> queued.put(id, List.copyOf(set)));
    PrivateFiles.write(file, Json.write(new Saved(new ArrayList<>(wishes.values()), queued)));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
