package dev.swarmdex.peer;

import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.peer.download.Progress;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link TransferQueue}'s downloads look to their owner: live progress, the speed sampled
 * between looks, the time left at it, each source's bytes; and the partial files a cancel deletes.
 * Used under the queue's lock.
 */
final class TransferViews {
  private static final Logger LOG = LoggerFactory.getLogger(TransferViews.class);

  private final TransferRunner runner;
  private final Map<String, Speed> speeds = new HashMap<>();

  TransferViews(TransferRunner runner) {
    this.runner = runner;
  }

  /** Forgets the speed of a download that starts again. */
  void forget(String hex) {
    speeds.keySet().removeIf(key -> key.startsWith(hex));
  }

  Transfer view(Transfer.Stored stored, int position) {
    Progress progress =
        stored.state().equals(TransferQueue.RUNNING)
            ? runner.progress(Sha256.of(stored.sha256()))
            : null;
    long bytes =
        progress == null ? stored.bytes() : Math.max(stored.bytes(), progress.bytesVerified());
    long rate = 0;
    Long eta = null;
    List<Transfer.SourceBytes> sources = new ArrayList<>();
    if (progress != null) {
      long now = System.nanoTime();
      Speed whole = speeds.computeIfAbsent(stored.sha256(), k -> new Speed());
      rate = whole.rate(bytes, now);
      long sum = 0;
      for (var source : progress.bySource().entrySet()) {
        // A source's bytes count from the download's start: so does its speed.
        Speed speed =
            speeds.computeIfAbsent(stored.sha256() + " " + source.getKey(), k -> whole.fromZero());
        long fast = speed.rate(source.getValue(), now);
        sum += fast;
        sources.add(new Transfer.SourceBytes(source.getKey(), source.getValue(), fast));
      }
      // The sources' speeds add up to the download's, as the page shows them side by side.
      rate = sources.isEmpty() ? rate : sum;
      if (rate > 0 && stored.size() >= 0) {
        eta = (stored.size() - bytes + rate - 1) / rate;
      }
    }
    int chunks = progress != null ? progress.chunks() : 0;
    int verified = progress != null ? progress.chunksVerified() : 0;
    if (stored.state().equals(TransferQueue.DONE)) {
      chunks = HashTree.chunkCount(stored.size());
      verified = chunks;
    }
    return new Transfer(
        stored.sha256(),
        stored.name(),
        stored.size(),
        stored.state(),
        stored.state().equals(TransferQueue.DONE) ? stored.size() : bytes,
        verified,
        chunks,
        rate,
        eta,
        List.copyOf(sources),
        stored.file(),
        stored.shared(),
        stored.error(),
        position);
  }

  /**
   * Deletes what an unfinished download wrote: its {@code .part} and the resume state beside it.
   */
  static void deletePartial(Transfer.Stored stored) {
    if (stored.file() == null) {
      return;
    }
    Path target = Path.of(stored.file());
    try {
      Files.deleteIfExists(Downloader.partOf(target));
      Files.deleteIfExists(target.resolveSibling("." + target.getFileName() + ".part.state"));
    } catch (IOException e) {
      LOG.warn("cannot delete the partial download {}: {}", target, e.toString());
    }
  }

  /** The speed of one download over the last seconds: sampled at most once a second. */
  private static final class Speed {
    private long first = -1;
    private long at = -1;
    private long bytes;
    private long rate;

    /** A speed whose first sample is 0 bytes when this one first sampled. */
    Speed fromZero() {
      Speed speed = new Speed();
      speed.first = first;
      speed.at = first;
      return speed;
    }

    long rate(long nowBytes, long nowNanos) {
      if (at < 0) {
        first = nowNanos;
        at = nowNanos;
        bytes = nowBytes;
      } else if (nowNanos - at >= 1_000_000_000L) {
        long fresh = (nowBytes - bytes) * 1_000_000_000L / (nowNanos - at);
        rate = rate == 0 ? fresh : (rate + fresh) / 2;
        at = nowNanos;
        bytes = nowBytes;
      }
      return Math.max(0, rate);
    }
  }
}
