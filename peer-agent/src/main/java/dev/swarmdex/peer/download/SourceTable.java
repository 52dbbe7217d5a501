package dev.swarmdex.peer.download;

import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sources of one download, by the address their bytes are fetched from: those known, those with
 * a worker running, those banned as liars, what each delivered and why each failed. Not thread-safe
 * (but for {@link #address}): the download's lock guards it.
 */
final class SourceTable {
  private static final Logger LOG = LoggerFactory.getLogger(SourceTable.class);

  private final Sha256 sha256;
  private final Map<String, Source> known = new LinkedHashMap<>();
  private final Set<String> active = new HashSet<>();
  private final Map<String, Long> received = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();
  private final Set<String> banned = new HashSet<>();

  SourceTable(Sha256 sha256) {
    this.sha256 = sha256;
  }

  /**
   * Where a source's bytes are fetched: through its directory's relay when it is firewalled and
   * names one, else directly. Pure; safe on any thread.
   */
  String address(Source source) {
    String relay = source.firewalled() ? source.relayUrl(sha256) : null;
    return relay != null ? relay : source.url();
  }

  /** Adds the sources not known or banned yet, reachable ones first. */
  void add(List<Source> sources, boolean planned) {
    List<Source> ordered = new ArrayList<>(sources);
    ordered.sort(Comparator.comparing(Source::firewalled));
    for (Source source : ordered) {
      if (banned.contains(address(source))) {
        continue;
      }
      if (known.putIfAbsent(address(source), source) == null && planned) {
        LOG.debug("new source of {}: {}", sha256, address(source));
      }
    }
  }

  /**
   * Takes the sources the directory lists now: adds new ones, and gives each dropped one it still
   * lists one more chance (it may be back; a failure drops it again at once).
   */
  void relocated(List<Source> listed, ChunkPlan plan) {
    add(listed, true);
    for (Source source : listed) {
      String url = address(source);
      if (known.containsKey(url) && plan.isDropped(url)) {
        plan.revive(url);
      }
    }
  }

  List<Source> known() {
    return new ArrayList<>(known.values());
  }

  /** Never uses {@code source} again: it lied about the file. */
  void ban(Source source, String why) {
    failures.add(address(source) + ": " + why);
    known.remove(address(source));
    banned.add(address(source));
  }

  /**
   * The sources to start a worker for (marked running): each usable one without a worker, up to
   * {@code max} running.
   */
  List<Source> toStart(ChunkPlan plan, int max) {
    List<Source> start = new ArrayList<>();
    for (Source source : known.values()) {
      if (active.size() >= max) {
        break;
      }
      String url = address(source);
      if (!active.contains(url) && !plan.isDropped(url) && plan.hasFreeChunk()) {
        active.add(url);
        start.add(source);
      }
    }
    return start;
  }

  /** The worker of the source at {@code url} ended. */
  void stopped(String url) {
    active.remove(url);
  }

  /** Whether no source has a worker running. */
  boolean idle() {
    return active.isEmpty();
  }

  void failed(String url, String why) {
    String line = url + ": " + why;
    if (!failures.contains(line)) {
      failures.add(line); // a source revived and failing again is named once
    }
  }

  /** One line per failure: the address and what went wrong. */
  List<String> failures() {
    return failures;
  }

  /**
   * The download cannot go on: no source is left, after looking for one for {@code patience} (null
   * when it could not look).
   */
  DownloadException exhausted(Duration patience) {
    String what =
        failures.isEmpty() && known.isEmpty()
            ? "no source shares " + sha256
            : "every source of " + sha256 + " failed";
    if (patience != null && !patience.isZero()) {
      what += "; none answered for " + patience.toSeconds() + " s of looking (--patience)";
    }
    return new DownloadException(what, failures);
  }

  void received(String url, long bytes) {
    received.merge(url, bytes, Long::sum);
  }

  /** Bytes delivered, by source address. */
  Map<String, Long> received() {
    return received;
  }
}
