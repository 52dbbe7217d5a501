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

import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.Stats;
import java.util.List;
import java.util.Locale;

/**
 * The Markdown rendering of a {@link Report}, a section for {@code BENCHMARKS.md}: the publish and
 * search tables, then the server's footprint and the in-process comparison when they were measured.
 */
final class ReportMarkdown {
  private ReportMarkdown() {}

  /** The report as a Markdown section. */
  static String of(Report report) {
    PublishSearchConfig config = report.config();
    Corpus corpus = report.corpus();
    int vocabulary = report.vocabulary();
    int warmup = report.warmup();
    Stats afterPublish = report.afterPublish();
    List<SearchRun.Figures> searches = report.searches();
    long heartbeatsSent = report.heartbeatsSent();
    long heartbeatsFailed = report.heartbeatsFailed();
    long leaveNanos = report.leaveNanos();
    Report.Footprint footprint = report.footprint();
    CatalogRun.Figures inProcess = report.inProcess();
    PublishRun.Figures p = report.publish();
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
        "- Peers: %,d simulated, all from 127.0.0.1 (firewalled); %d publishing threads; each"
            + " publish answers %s (`--publish-wait %s`); seed %d. %s",
        p.peers(),
        config.publishers(),
        config.publishWait() == PublishWait.ACCEPTED
            ? "once the server holds its entries, as peer agents republish their lists after a"
                + " rejoin"
            : "once searches see its entries",
        config.publishWait().label(),
        config.seed(),
        p.warmUp() == null
            ? String.format(
                Locale.ROOT,
                "No publish warm-up (`--publish-warmup %d`): the publish is measured on a cold"
                    + " JVM.",
                config.publishWarmup())
            : String.format(
                Locale.ROOT,
                "Before the measured publish, the same %,d peers published %,d entries in all"
                    + " over HTTP (the measured entries, round after round, each round made as a"
                    + " measured one: sample searches, lists emptied before the next)%s"
                    + " (`--publish-warmup %d`), so that the server's JIT compiler has compiled"
                    + " every kind of call the measured rounds make.",
                p.peers(),
                p.warmUp().entries(),
                inProcess == null
                    ? ""
                    : ", and other peers the same entries in process, removed after each round",
                config.publishWarmup()));
    line(
        out,
        "- Measured publish: %d round%s (`--publish-rounds %d`), each into an empty catalog"
            + " (between rounds the peers publish empty lists%s);"
            + " entries/s, wall time and CPU are the median round's (by entries/s; of an even"
            + " number, the slower of the middle two), call times and samples are all rounds'.",
        p.rounds().size(),
        p.rounds().size() == 1 ? "" : "s",
        config.publishRounds(),
        config.measuresFootprint()
            ? " and the server is let go quiet"
            : "; the server's CPU is not known here (no `--server-pid`), so no wait for it to go"
                + " quiet");
    line(
        out,
        "- Queries: 1-3 words from the names, first word Zipf (s=1) by name count, limit %d;"
            + " %,d unmeasured warm-up searches per client count, and %,d from %d clients before"
            + " the first, over HTTP and in process, for the JIT compiler to settle"
            + " (`--jit-warmup`; each warm-up a different draw from the measured queries).",
        SearchRun.LIMIT,
        warmup,
        config.jitWarmup(),
        BenchMain.JIT_WARMUP_CLIENTS);
    line(
        out,
        "- HTTP search client (`--http-client %s`): %s.%n",
        config.httpClient().flag(),
        config.httpClient().description());
    line(out, "| publish | figure |");
    line(out, "|---|---|");
    line(
        out,
        "| join %,d peers (on the fresh server, before any warm-up) | %.2f s (%,.0f joins/s), %d"
            + " errors |",
        p.peers(),
        seconds(p.joinNanos()),
        rate(p.peers(), p.joinNanos()),
        p.joinErrors());
    line(
        out,
        "| entries published in a round (the median); calls that failed in all rounds | %,d in"
            + " %,d calls; %d failed |",
        p.entriesSent(),
        p.calls(),
        p.callErrors());
    line(
        out,
        "| entries the server holds after the last round | %,d (the answers sum to %,d) |",
        afterPublish.files(),
        p.acceptedAtEnd());
    line(out, "| publish wall time | %.2f s |", seconds(p.publishNanos()));
    line(
        out,
        "| **entries/s accepted**, the median round | **%,.0f** |",
        rate(p.entriesAccepted(), p.publishNanos()));
    line(
        out,
        "| each round: entries/s (server CPU an entry, its JIT compiler's share) | %s |",
        roundsText(p.rounds()));
    line(
        out,
        "| publish call p50 / p99 / max (all rounds) | %.1f / %.1f / %.1f ms |",
        ms(p.callLatency().p50()),
        ms(p.callLatency().p99()),
        ms(p.callLatency().max()));
    line(
        out,
        "| CPU per entry accepted: server (its JIT compiler's share), the bench's publishing"
            + " clients | %s (%s), %s |",
        perEntry(p.serverCpuNanos(), p.entriesAccepted()),
        share(jitShare(p.serverJitNanos(), p.serverCpuNanos())),
        perEntry(p.benchCpuNanos(), p.entriesAccepted()));
    PublishRound cold = p.cold();
    line(
        out,
        "| **cold publish**: the fresh server's first round (a restart that every peer republishes"
            + " to) | **%,.0f entries/s**; %s of server CPU an entry, %s in its JIT compiler |",
        cold.rate(),
        perEntry(cold.cpuNanos(), cold.entries()),
        share(jitShare(cold.jitNanos(), cold.cpuNanos())));
    if (p.warmUp() != null) {
      PublishRound w = p.warmUp();
      line(
          out,
          "| before it, the warm-up (`--publish-warmup`): the same peers, rounds made as the"
              + " measured ones |"
              + " %,d entries, %,.0f entries/s; %s of server CPU an entry, %s in its JIT"
              + " compiler |",
          w.entries(),
          w.rate(),
          perEntry(w.cpuNanos(), w.entries()),
          share(jitShare(w.jitNanos(), w.cpuNanos())));
    }
    line(
        out,
        "| searchable after the answer (all rounds): samples, found by the first search, not"
            + " found in 5 s |"
            + " %d, %d, %d |",
        p.visibleAfter().count() + p.notFound(),
        p.foundFirstTry(),
        p.notFound());
    line(
        out,
        "| answer to found (includes one search; a sample not found is searched again every %d"
            + " ms) p50 / p99 | %.1f / %.1f ms |",
        VisibilityProbe.INTERVAL_NANOS / 1_000_000,
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
            + " | with results | errors | CPU ms per search: server, HTTP clients"
            + " | server CPU in its JIT compiler |");
    line(out, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (SearchRun.Figures s : searches) {
      line(
          out,
          "| %d | %,d | **%,.0f** | %.1f | %.1f | %.1f | %.1f | %.1f%% | %d | %s, %s | %s |",
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
    if (footprint != null) {
      footprint(report, out);
    }
    if (inProcess != null) {
      inProcess(report, out);
    }
    return out.toString();
  }

  private static void footprint(Report report, StringBuilder out) {
    Stats afterPublish = report.afterPublish();
    Report.Footprint footprint = report.footprint();
    out.append('\n');
    line(
        out,
        "Server footprint: its live heap (`jcmd PID GC.run`, then the heap in use from"
            + " `GC.heap_info`) and its catalog folder on disk on the fresh server, before the"
            + " publish warm-up and the %,d peers' joins (so the heap's growth counts their"
            + " sessions too, and what the warm-up left); then the heap once the server is"
            + " quiet after the last publish (its catalog merged) and the folder after the"
            + " searches; per entry = the growth divided by the %,d entries it holds.%n",
        report.publish().peers(),
        afterPublish.files());
    line(out, "| server footprint | fresh server | after | **bytes per entry** |");
    line(out, "|---|---:|---:|---:|");
    line(
        out,
        "| heap after a full GC | %s | %s | **%.1f** |",
        mib(footprint.before().heapBytes()),
        mib(footprint.after().heapBytes()),
        report.heapPerEntry());
    line(
        out,
        "| catalog on disk | %s | %s | **%.1f** |",
        mib(footprint.before().catalogBytes()),
        mib(footprint.after().catalogBytes()),
        report.diskPerEntry());
    double all = report.heapPerEntry() + report.diskPerEntry();
    line(
        out,
        "| **heap and disk** | | | **%.1f** (goal below %d: %s) |",
        all,
        Report.BYTES_PER_ENTRY_GOAL,
        all < Report.BYTES_PER_ENTRY_GOAL ? "met" : "**not met**");
  }

  private static void inProcess(Report report, StringBuilder out) {
    PublishSearchConfig config = report.config();
    List<SearchRun.Figures> searches = report.searches();
    CatalogRun.Figures inProcess = report.inProcess();
    PublishRun.Figures p = report.publish();
    CatalogRun.Figures c = inProcess;
    double httpRate = p.median().rate();
    double localRate = c.median().rate();
    out.append('\n');
    line(
        out,
        "In-process: the index server's `Catalog` opened in the bench's JVM on a fresh folder"
            + " (the server idle meanwhile), the same %,d publish calls from %d threads"
            + " (`replace`/`apply`, no sample searches) in %d round%s as over HTTP (the peers"
            + " removed between rounds), its merges waited for, then the same queries, top %d"
            + " grouped by content (`Catalog.search`), from the same numbers of client threads."
            + " HTTP / in-process is the ratio of the searches a second in this one run.%n",
        c.calls(),
        config.publishers(),
        c.rounds().size(),
        c.rounds().size() == 1 ? "" : "s",
        SearchRun.LIMIT);
    line(out, "| in-process publish | figure |");
    line(out, "|---|---|");
    line(
        out,
        "| entries/s, the median round (HTTP / in-process) | %,.0f (%.2f) |",
        localRate,
        ratio(httpRate, localRate));
    line(
        out,
        "| each round: entries/s (CPU of this JVM an entry, its JIT compiler's share) | %s |",
        roundsText(c.rounds()));
    line(out, "| entries the catalog holds after the last round | %,d |", c.entriesHeld());
    line(
        out,
        "| CPU of this JVM per entry; its JIT compiler's share of it | %s; %s |",
        perEntry(c.median().cpuNanos(), c.median().entries()),
        share(jitShare(c.median().jitNanos(), c.median().cpuNanos())));
    if (c.warmupEntries() > 0) {
      line(
          out,
          "| before it, the warm-up: other peers published, then were removed | %,d entries,"
              + " %,.0f entries/s |",
          c.warmupEntries(),
          rate(c.warmupEntries(), c.warmupNanos()));
    }
    line(
        out,
        "| call p50 / p99 / max (all rounds) | %.1f / %.1f / %.1f ms |",
        ms(c.callLatency().p50()),
        ms(c.callLatency().p99()),
        ms(c.callLatency().max()));
    line(
        out,
        "| catalog on disk after its merges and the searches | %s, %.1f bytes per entry |",
        mib(c.catalogBytes()),
        (double) c.catalogBytes() / Math.max(1, c.entriesHeld()));
    out.append('\n');
    line(
        out,
        "| search clients | HTTP searches/s | in-process searches/s | **HTTP / in-process** |"
            + " HTTP p50 / p99 ms | in-process p50 / p99 ms | CPU ms per search: HTTP server,"
            + " HTTP clients, in-process | in-process with results | in-process answered from"
            + " the result cache (warm-up included) | JIT compiler's share of CPU: HTTP server,"
            + " in-process |");
    line(out, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (int i = 0; i < searches.size(); i++) {
      SearchRun.Figures http = searches.get(i);
      SearchRun.Figures local = c.searches().get(i);
      double share = ratio(http.perSecond(), local.perSecond());
      line(
          out,
          "| %d | %,.0f | %,.0f | **%.2f**%s | %.1f / %.1f | %.1f / %.1f | %.3f, %.3f, %.3f |"
              + " %.1f%% | %.1f%% | %s, %s |",
          http.clients(),
          http.perSecond(),
          local.perSecond(),
          share,
          share >= Report.HTTP_SHARE_GOAL ? "" : " (goal " + Report.HTTP_SHARE_GOAL + ": not met)",
          ms(http.latency().p50()),
          ms(http.latency().p99()),
          ms(local.latency().p50()),
          ms(local.latency().p99()),
          http.serverCpuMillis(),
          http.benchCpuMillis(),
          local.benchCpuMillis(),
          percent(local.withResults(), local.searches()),
          100 * c.cachedShares().get(i),
          share(http.jitShare()),
          share(local.jitShare()));
    }
  }
}
