package dev.swarmdex.bench;

import dev.swarmdex.protocol.PublishWait;
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
          heapPerEntry(),
          diskPerEntry(),
          heapPerEntry() + diskPerEntry());
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
      footprintMarkdown(out);
    }
    if (inProcess != null) {
      inProcessMarkdown(out);
    }
    return out.toString();
  }

  private void footprintMarkdown(StringBuilder out) {
    out.append('\n');
    line(
        out,
        "Server footprint: its live heap (`jcmd PID GC.run`, then the heap in use from"
            + " `GC.heap_info`) and its catalog folder on disk on the fresh server, before the"
            + " publish warm-up and the %,d peers' joins (so the heap's growth counts their"
            + " sessions too, and what the warm-up left); then the heap right after the last"
            + " publish and the folder after the searches (merges done); per entry = the growth"
            + " divided by the %,d entries it holds.%n",
        publish.peers(),
        afterPublish.files());
    line(out, "| server footprint | fresh server | after | **bytes per entry** |");
    line(out, "|---|---:|---:|---:|");
    line(
        out,
        "| heap after a full GC | %s | %s | **%.1f** |",
        mib(footprint.before().heapBytes()),
        mib(footprint.after().heapBytes()),
        heapPerEntry());
    line(
        out,
        "| catalog on disk | %s | %s | **%.1f** |",
        mib(footprint.before().catalogBytes()),
        mib(footprint.after().catalogBytes()),
        diskPerEntry());
    double all = heapPerEntry() + diskPerEntry();
    line(
        out,
        "| **heap and disk** | | | **%.1f** (goal below %d: %s) |",
        all,
        BYTES_PER_ENTRY_GOAL,
        all < BYTES_PER_ENTRY_GOAL ? "met" : "**not met**");
  }

  private void inProcessMarkdown(StringBuilder out) {
    PublishRun.Figures p = publish;
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
          share >= HTTP_SHARE_GOAL ? "" : " (goal " + HTTP_SHARE_GOAL + ": not met)",
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

  /** Microseconds of CPU per entry ("25.0 us"), or "n/a" when they could not be read (-1). */
  private static String perEntry(long cpuNanos, long entries) {
    return cpuNanos < 0 || entries <= 0
        ? "n/a"
        : String.format(Locale.ROOT, "%.1f us", cpuNanos / 1e3 / entries);
  }

  /** The JIT compiler's share of a process's CPU, or -1 when either could not be read. */
  private static double jitShare(long jitNanos, long cpuNanos) {
    return jitNanos < 0 || cpuNanos <= 0 ? -1 : Math.min(1, (double) jitNanos / cpuNanos);
  }

  private static String warmUpText(PublishRound w) {
    return w == null
        ? "no publish warm-up (cold JVM)"
        : String.format(
            Locale.ROOT,
            "after a warm-up of %d entries (%.0f entries/s, %s an entry, %s JIT)",
            w.entries(),
            w.rate(),
            perEntry(w.cpuNanos(), w.entries()),
            share(jitShare(w.jitNanos(), w.cpuNanos())));
  }

  /** Each round's rate, CPU an entry and JIT share, in the order run: "52,000 (21.0 us, 9.5%)". */
  private static String roundsText(List<PublishRound> rounds) {
    StringBuilder text = new StringBuilder();
    for (PublishRound r : rounds) {
      if (text.length() > 0) {
        text.append("; ");
      }
      text.append(
          String.format(
              Locale.ROOT,
              "%,.0f (%s, %s)",
              r.rate(),
              perEntry(r.cpuNanos(), r.entries()),
              share(jitShare(r.jitNanos(), r.cpuNanos()))));
    }
    return text.toString();
  }

  /** A share of CPU as a percentage, or "n/a" when it could not be read (-1). */
  private static String share(double share) {
    return share < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }

  /** CPU milliseconds per search, or "n/a" when they could not be read (-1). */
  private static String cpu(double millis) {
    return millis < 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", millis);
  }

  private static double ratio(double a, double b) {
    return b == 0 ? 0 : a / b;
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
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
