package dev.swarmdex.bench;

import dev.swarmdex.protocol.Stats;
import java.util.List;
import java.util.Locale;

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
    long leaveNanos) {
  Report {
    searches = List.copyOf(searches);
  }

  String text() {
    PublishRun.Figures p = publish;
    StringBuilder out = new StringBuilder();
    line(out, "publish-search against %s", config.server());
    line(
        out,
        "corpus   %s: %d entries from %d lines (%d skipped: invalid names); %d distinct words",
        config.corpus().getFileName(),
        corpus.entries().size(),
        corpus.linesRead(),
        corpus.skipped(),
        vocabulary);
    line(
        out,
        "join     %d peers from %d threads in %.2f s (%.0f joins/s), %d errors",
        p.peers(),
        config.publishers(),
        seconds(p.joinNanos()),
        rate(p.peers(), p.joinNanos()),
        p.joinErrors());
    line(
        out,
        "publish  %d entries in %d calls from %d threads: %.2f s, %.0f entries/s accepted;"
            + " call p50 %.1f ms, p99 %.1f ms; %d errors",
        p.entriesSent(),
        p.calls(),
        config.publishers(),
        seconds(p.publishNanos()),
        rate(p.entriesAccepted(), p.publishNanos()),
        ms(p.callLatency().p50()),
        ms(p.callLatency().p99()),
        p.callErrors());
    line(
        out,
        "         server holds %d entries of %d peers (the peers' answers sum to %d)",
        afterPublish.files(),
        afterPublish.peers(),
        p.entriesAccepted());
    line(
        out,
        "visible  %d samples searched right after their publish answered: %d found by the first"
            + " search, %d not found in 5 s; answer-to-found p50 %.1f ms, p99 %.1f ms",
        p.visibleAfter().count() + p.notFound(),
        p.foundFirstTry(),
        p.notFound(),
        ms(p.visibleAfter().p50()),
        ms(p.visibleAfter().p99()));
    line(
        out,
        "search   %7s %9s %11s %7s %7s %7s %8s %13s %7s",
        "clients",
        "searches",
        "searches/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "with results",
        "errors");
    for (SearchRun.Figures s : searches) {
      line(
          out,
          "         %7d %9d %11.0f %7.1f %7.1f %7.1f %8.1f %12.1f%% %7d",
          s.clients(),
          s.searches(),
          s.perSecond(),
          ms(s.latency().p50()),
          ms(s.latency().p90()),
          ms(s.latency().p99()),
          ms(s.latency().max()),
          percent(s.withResults(), s.searches()),
          s.errors());
    }
    line(out, "heartbeats sent %d, failed %d", heartbeatsSent, heartbeatsFailed);
    if (leaveNanos >= 0) {
      line(out, "leave    %d peers in %.2f s", p.peers() - p.joinErrors(), seconds(leaveNanos));
    }
    return out.toString();
  }

  String markdown() {
    PublishRun.Figures p = publish;
    StringBuilder out = new StringBuilder();
    line(out, "### publish-search: %,d entries, %,d peers%n", corpus.entries().size(), p.peers());
    line(
        out,
        "- Corpus: `%s`, the first %,d usable names (%,d lines read, %,d skipped as invalid"
            + " names); %,d distinct words of 2+ characters.",
        config.corpus().getFileName(),
        corpus.entries().size(),
        corpus.linesRead(),
        corpus.skipped(),
        vocabulary);
    line(
        out,
        "- Peers: %,d simulated, all from 127.0.0.1 (firewalled); %d publishing threads; seed %d.",
        p.peers(),
        config.publishers(),
        config.seed());
    line(
        out,
        "- Queries: 1-3 words from the names, first word Zipf (s=1) by name count, limit %d;"
            + " %,d unmeasured warm-up searches per client count.%n",
        SearchRun.LIMIT,
        warmup);
    line(out, "| publish | figure |");
    line(out, "|---|---|");
    line(
        out,
        "| join %,d peers | %.2f s (%,.0f joins/s), %d errors |",
        p.peers(),
        seconds(p.joinNanos()),
        rate(p.peers(), p.joinNanos()),
        p.joinErrors());
    line(
        out,
        "| entries published | %,d in %,d calls, %d errors |",
        p.entriesSent(),
        p.calls(),
        p.callErrors());
    line(
        out,
        "| entries the server holds after | %,d (the answers sum to %,d) |",
        afterPublish.files(),
        p.entriesAccepted());
    line(out, "| publish wall time | %.2f s |", seconds(p.publishNanos()));
    line(
        out, "| **entries/s accepted** | **%,.0f** |", rate(p.entriesAccepted(), p.publishNanos()));
    line(
        out,
        "| publish call p50 / p99 / max | %.1f / %.1f / %.1f ms |",
        ms(p.callLatency().p50()),
        ms(p.callLatency().p99()),
        ms(p.callLatency().max()));
    line(
        out,
        "| searchable after the answer: samples, found by the first search, not found in 5 s |"
            + " %d, %d, %d |",
        p.visibleAfter().count() + p.notFound(),
        p.foundFirstTry(),
        p.notFound());
    line(
        out,
        "| answer to found (includes one search) p50 / p99 | %.1f / %.1f ms |",
        ms(p.visibleAfter().p50()),
        ms(p.visibleAfter().p99()));
    line(out, "| heartbeats sent, failed | %d, %d |", heartbeatsSent, heartbeatsFailed);
    if (leaveNanos >= 0) {
      line(out, "| leave (all peers' entries removed) | %.2f s |", seconds(leaveNanos));
    }
    out.append('\n');
    line(
        out,
        "| search clients | searches | **searches/s** | p50 ms | p90 ms | p99 ms | max ms"
            + " | with results | errors |");
    line(out, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (SearchRun.Figures s : searches) {
      line(
          out,
          "| %d | %,d | **%,.0f** | %.1f | %.1f | %.1f | %.1f | %.1f%% | %d |",
          s.clients(),
          s.searches(),
          s.perSecond(),
          ms(s.latency().p50()),
          ms(s.latency().p90()),
          ms(s.latency().p99()),
          ms(s.latency().max()),
          percent(s.withResults(), s.searches()),
          s.errors());
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static double ms(long nanos) {
    return Percentiles.millis(nanos);
  }

  private static double rate(long count, long nanos) {
    return nanos == 0 ? 0 : count * 1e9 / nanos;
  }

  private static double percent(int part, int whole) {
    return whole == 0 ? 0 : 100.0 * part / whole;
  }
}
