package dev.swarmdex.bench;

import static dev.swarmdex.bench.ReportFormat.cpu;
import static dev.swarmdex.bench.ReportFormat.jitShare;
import static dev.swarmdex.bench.ReportFormat.line;
import static dev.swarmdex.bench.ReportFormat.mib;
import static dev.swarmdex.bench.ReportFormat.ms;
import static dev.swarmdex.bench.ReportFormat.perEntry;
import static dev.swarmdex.bench.ReportFormat.percent;
import static dev.swarmdex.bench.ReportFormat.rate;
import static dev.swarmdex.bench.ReportFormat.ratio;
import static dev.swarmdex.bench.ReportFormat.roundsText;
import static dev.swarmdex.bench.ReportFormat.seconds;
import static dev.swarmdex.bench.ReportFormat.share;
import static dev.swarmdex.bench.ReportFormat.warmUpText;

import dev.swarmdex.protocol.Stats;
import java.util.List;

/** The compact text rendering of a {@link Report}, for the terminal. */
final class ReportText {
  private ReportText() {}

  /** The report as lines of text. */
  static String of(Report report) {
    PublishSearchConfig config = report.config();
    Corpus corpus = report.corpus();
    int vocabulary = report.vocabulary();
    Stats afterPublish = report.afterPublish();
    List<SearchRun.Figures> searches = report.searches();
    long heartbeatsSent = report.heartbeatsSent();
    long heartbeatsFailed = report.heartbeatsFailed();
    long leaveNanos = report.leaveNanos();
    Report.Footprint footprint = report.footprint();
    CatalogRun.Figures inProcess = report.inProcess();
    PublishRun.Figures p = report.publish();
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
        "join     %d peers from %d threads in %.2f s (%.0f joins/s, before any warm-up), %d errors",
        p.peers(),
        config.publishers(),
        seconds(p.joinNanos()),
        rate(p.peers(), p.joinNanos()),
        p.joinErrors());
    line(
        out,
        "publish  %d entries in %d calls from %d threads: %.2f s, %.0f entries/s accepted"
            + " (the median of %d rounds: %s); call p50 %.1f ms, p99 %.1f ms; %d errors",
        p.entriesSent(),
        p.calls(),
        config.publishers(),
        seconds(p.publishNanos()),
        rate(p.entriesAccepted(), p.publishNanos()),
        p.rounds().size(),
        roundsText(p.rounds()),
        ms(p.callLatency().p50()),
        ms(p.callLatency().p99()),
        p.callErrors());
    line(
        out,
        "         server CPU %s an entry accepted, %s of it in its JIT compiler (bench %s); %s",
        perEntry(p.serverCpuNanos(), p.entriesAccepted()),
        share(jitShare(p.serverJitNanos(), p.serverCpuNanos())),
        perEntry(p.benchCpuNanos(), p.entriesAccepted()),
        warmUpText(p.warmUp()));
    PublishRound cold = p.cold();
    line(
        out,
        "         cold: the fresh server's first round %.0f entries/s, %s of server CPU an entry,"
            + " %s of it in its JIT compiler",
        cold.rate(),
        perEntry(cold.cpuNanos(), cold.entries()),
        share(jitShare(cold.jitNanos(), cold.cpuNanos())));
    line(
        out,
        "         server holds %d entries of %d peers (the peers' answers in the last round sum"
            + " to %d)",
        afterPublish.files(),
        afterPublish.peers(),
        p.acceptedAtEnd());
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
        "search   over HTTP with --http-client %s: %s",
        config.httpClient().flag(),
        config.httpClient().description());
    line(
        out,
        "         %7s %9s %11s %7s %7s %7s %8s %13s %7s %26s %11s",
        "clients",
        "searches",
        "searches/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "with results",
        "errors",
        "CPU ms/search server bench",
        "server JIT");
    for (SearchRun.Figures s : searches) {
      line(
          out,
          "         %7d %9d %11.0f %7.1f %7.1f %7.1f %8.1f %12.1f%% %7d %20s %5s %11s",
          s.clients(),
          s.searches(),
          s.perSecond(),
          ms(s.latency().p50()),
          ms(s.latency().p90()),
          ms(s.latency().p99()),
          ms(s.latency().max()),
          percent(s.withResults(), s.searches()),
          s.errors(),
          cpu(s.serverCpuMillis()),
          cpu(s.benchCpuMillis()),
          share(s.jitShare()));
    }
    if (inProcess != null) {
      line(
          out,
          "in-process catalog: publish %.0f entries/s (HTTP / in-process %.2f), %s of CPU an"
              + " entry (%s JIT; rounds %s); catalog %.0f bytes per entry on disk",
          inProcess.median().rate(),
          ratio(p.median().rate(), inProcess.median().rate()),
          perEntry(inProcess.median().cpuNanos(), inProcess.median().entries()),
          share(jitShare(inProcess.median().jitNanos(), inProcess.median().cpuNanos())),
          roundsText(inProcess.rounds()),
          (double) inProcess.catalogBytes() / Math.max(1, inProcess.entriesHeld()));
      for (int i = 0; i < searches.size(); i++) {
        SearchRun.Figures http = searches.get(i);
        SearchRun.Figures local = inProcess.searches().get(i);
        line(
            out,
            "         %7d clients: %9.0f searches/s in-process, p50 %.1f ms, p99 %.1f ms;"
                + " HTTP / in-process %.2f; CPU ms per search: server %.3f, clients %.3f,"
                + " in-process %.3f; in-process answered from the cache %.1f%%; JIT share of CPU:"
                + " server %s, in-process %s",
            local.clients(),
            local.perSecond(),
            ms(local.latency().p50()),
            ms(local.latency().p99()),
            ratio(http.perSecond(), local.perSecond()),
            http.serverCpuMillis(),
            http.benchCpuMillis(),
            local.benchCpuMillis(),
            100 * inProcess.cachedShares().get(i),
            share(http.jitShare()),
            share(local.jitShare()));
      }
    }
    if (footprint != null) {
      line(
          out,
          "memory   server heap after full GC %s -> %s, catalog %s -> %s: %.0f + %.0f = %.0f"
              + " bytes per entry",
          mib(footprint.before().heapBytes()),
          mib(footprint.after().heapBytes()),
          mib(footprint.before().catalogBytes()),
          mib(footprint.after().catalogBytes()),
          report.heapPerEntry(),
          report.diskPerEntry(),
          report.heapPerEntry() + report.diskPerEntry());
    }
    line(out, "heartbeats sent %d, failed %d", heartbeatsSent, heartbeatsFailed);
    if (leaveNanos >= 0) {
      line(out, "leave    %d peers in %.2f s", p.peers() - p.joinErrors(), seconds(leaveNanos));
    }
    return out.toString();
  }
}
