package dev.swarmdex.bench;

import dev.swarmdex.protocol.Stats;
import java.util.List;

/**
 * Everything one {@code publish-search} run measured, and its two renderings: a compact text report
 * for the terminal and a Markdown section for {@code BENCHMARKS.md}.
 */
record Report(
    PublishSearchConfig config,
    Corpus corpus,
    int vocabulary,
    int warmup,
    PublishRun.Figures publish,
    Stats afterPublish,
    List<SearchRun.Figures> searches,
    long heartbeatsSent,
    long heartbeatsFailed,
    long leaveNanos,
    Footprint footprint,
    CatalogRun.Figures inProcess) {
  /** The server measured fresh, before the peers joined and the warm-up, and at the end. */
  record Footprint(ServerFootprint before, ServerFootprint after) {}

  /** Goal of the issue: heap and disk together below this many bytes per entry. */
  static final int BYTES_PER_ENTRY_GOAL = 200;

  /** Goal of the issue: searches a second over HTTP at least this share of in-process. */
  static final double HTTP_SHARE_GOAL = 0.8;

  Report {
    searches = List.copyOf(searches);
  }

  Report withInProcess(CatalogRun.Figures figures) {
    return new Report(
        config,
        corpus,
        vocabulary,
        warmup,
        publish,
        afterPublish,
        searches,
        heartbeatsSent,
        heartbeatsFailed,
        leaveNanos,
        footprint,
        figures);
  }

  /** Heap bytes per entry the server holds: the growth of its live heap over the entries. */
  double heapPerEntry() {
    return perEntry(footprint.after().heapBytes() - footprint.before().heapBytes());
  }

  /** Disk bytes per entry the server holds: the growth of its catalog folder over the entries. */
  double diskPerEntry() {
    return perEntry(footprint.after().catalogBytes() - footprint.before().catalogBytes());
  }

  private double perEntry(long bytes) {
    return afterPublish.files() == 0 ? 0 : (double) bytes / afterPublish.files();
  }

  /** A compact text report for the terminal ({@link ReportText}). */
  String text() {
    return ReportText.of(this);
  }

  /** A Markdown section for {@code BENCHMARKS.md} ({@link ReportMarkdown}). */
  String markdown() {
    return ReportMarkdown.of(this);
  }
}
