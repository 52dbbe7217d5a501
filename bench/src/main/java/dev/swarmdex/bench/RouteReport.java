package dev.swarmdex.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/** The Markdown report of a {@link RouteRun}. */
final class RouteReport {
  private final RouteRun run;
  private final RouteRun.Config config;

  RouteReport(RouteRun run) {
    this.run = run;
    this.config = run.config();
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    RouteNetwork net = run.network;
    line(
        out,
        "### route: %,d directories x %,d leaves (%,d peers), %,d queries%n",
        config.directories(),
        config.leaves(),
        (long) config.directories() * config.leaves(),
        config.queries());
    line(
        out,
        "- Shares: %,d (%d-%d names a leaf, drawn by corpus line from %,d lines of `%s`: %,d"
            + " distinct names); %,d distinct contents (a name is one content).",
        net.shares(),
        config.minNames(),
        config.maxNames(),
        config.corpusLines(),
        config.corpus() == null ? "(given list)" : config.corpus().getFileName(),
        net.names().size(),
        run.placement.contents());
    line(
        out,
        "- Groups: %d (b = %d), %.1f directories each; a search asks 1 contact in each other group,"
            + " then the matching directories in `DynamicQuery` order (page %d, stops at %d"
            + " results). Flood: random %d-regular mesh, `FloodMesh`; TTL 3 reaches %.2f%%, TTL"
            + " %d is the least reaching 99%% (%.2f%%).",
        run.groups.count(),
        run.groups.bits(),
        config.directories() / (double) run.groups.count(),
        config.page(),
        run.wanted(),
        config.degree(),
        100 * run.ttl3Coverage,
        run.ttl99,
        100 * run.ttl99Coverage);
    line(
        out,
        "- Queries: one word (even queries) or two words (odd) of a random share's name, typed"
            + " without a trailing space (the last word is a prefix); *popular* = the network"
            + " holds >= %d results, *rare* = fewer. Ground truth: `NameMatches`, the catalog's"
            + " rules over each name's `SearchTerms` terms and prefixes (no digest involved).%n",
        run.wanted());
    List<RouteRun.QueryRow> popular = new ArrayList<>();
    List<RouteRun.QueryRow> rare = new ArrayList<>();
    for (RouteRun.QueryRow r : run.rows) {
      (r.popular(run.wanted()) ? popular : rare).add(r);
    }
    line(
        out,
        "| queries | n | holders/q | **routed msgs p50** | routed p99 | contacts | directories"
            + " asked | false maybes | digest recall | holders asked | page filled"
            + " | flood TTL 3 msgs / holder recall | **flood TTL %d msgs** / holder recall"
            + " | **routed p50 / flood TTL %d** |",
        run.ttl99,
        run.ttl99);
    line(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    classRow(out, "popular", popular);
    classRow(out, "rare", rare);
    classRow(out, "all", run.rows);
    out.append('\n');
    digestLines(out, net);
    long lookupMean = run.lookups == 0 ? 0 : run.lookupMessages / run.lookups;
    line(
        out,
        "- Lookup by content id (`RendezvousHomes`, k = 2): %d messages a lookup (%,d lookups of"
            + " random shared contents), against %,d for asking every directory.",
        lookupMean,
        run.lookups,
        config.directories());
    for (HomePlacement.Death d : run.deaths) {
      line(
          out,
          "- Death of `s%d`: %,d registrations it held re-sent to their new homes (%,d batches,"
              + " one per registering directory and new home); %,d registrations of its own"
              + " leaves' contents re-sent by the directories they move to; contents whose homes"
              + " changed without it: %d of %,d checked; a lookup meanwhile asks at most %d"
              + " directories, sources lost: %d. Time: detection (mesh timeout 15 s) + one"
              + " report (5 s) = 20 s, modelled from the servers' defaults, not simulated.",
          d.victim(),
          d.rehomed(),
          d.rehomeMessages(),
          d.ownLeaves(),
          d.movedElsewhere(),
          d.checked(),
          d.duringMax(),
          d.lostDuring());
    }
    Runtime rt = Runtime.getRuntime();
    line(
        out,
        "- Run: build (shares, %,d digests, ground-truth index) %.1f s, queries (routed + 2"
            + " floods each) %.1f s, homes and deaths %.1f s; heap after build (after a GC) %,d"
            + " MiB of %,d MiB max; %d processors.",
        config.directories(),
        run.buildNanos / 1e9,
        run.queryNanos / 1e9,
        run.homeNanos / 1e9,
        run.heapAfterBuild >> 20,
        rt.maxMemory() >> 20,
        rt.availableProcessors());
    return out.toString();
  }

  private void digestLines(StringBuilder out, RouteNetwork net) {
    long[] bytes = new long[net.size()];
    double fill = 0;
    double fp = 0;
    for (int d = 0; d < net.size(); d++) {
      bytes[d] = net.digest(d).encode().length;
      fill += net.digest(d).fillRatio();
      fp += net.digest(d).falsePositiveRate();
    }
    Arrays.sort(bytes);
    line(
        out,
        "- Digest a directory (`KeywordTable` -> `Digest.encode`): median %,d bytes, max %,d; fill"
            + " %.1f%%, an absent key looks present %.3f%% of the time (means).",
        Percentiles.nearestRank(bytes, 50),
        bytes[bytes.length - 1],
        100 * fill / net.size(),
        100 * fp / net.size());
    List<RouteNetwork.PatchSample> p = net.patches();
    int group =
        Math.max(0, (int) Math.round(config.directories() / (double) run.groups.count()) - 1);
    line(
        out,
        "- Update a leaf change (`DigestPatch`, %d directories sampled, cap %,d bytes): leaf joins"
            + " %s, leaf leaves %s, one name added %s (p50 / p99 bytes; over the cap: the whole"
            + " digest); each sent to the %d other members of its group.",
        p.size(),
        RouteNetwork.PATCH_CAP,
        patch(p, RouteNetwork.PatchSample::join),
        patch(p, RouteNetwork.PatchSample::leave),
        patch(p, RouteNetwork.PatchSample::oneName),
        group);
  }

  private static String patch(
      List<RouteNetwork.PatchSample> p, ToLongFunction<RouteNetwork.PatchSample> f) {
    if (p.isEmpty()) {
      return "n/a";
    }
    long[] v = p.stream().mapToLong(f).filter(b -> b >= 0).sorted().toArray();
    long over = p.stream().mapToLong(f).filter(b -> b < 0).count();
    if (v.length == 0) {
      return "all over the cap";
    }
    return String.format(
        Locale.ROOT,
        "%,d / %,d%s",
        Percentiles.nearestRank(v, 50),
        Percentiles.nearestRank(v, 99),
        over == 0 ? "" : " (" + over + " over the cap)");
  }

  private void classRow(StringBuilder out, String label, List<RouteRun.QueryRow> rows) {
    if (rows.isEmpty()) {
      line(out, "| %s | 0 | | | | | | | | | | | | |", label);
      return;
    }
    long[] msgs = rows.stream().mapToLong(r -> r.routed().messages()).sorted().toArray();
    long holders = sum(rows, r -> r.routed().holders());
    long p50 = Percentiles.nearestRank(msgs, 50);
    double flood99 = mean(rows, RouteRun.QueryRow::ttl99Messages);
    long filled =
        rows.stream()
            .filter(r -> r.routed().results() >= Math.min(run.wanted(), r.routed().allResults()))
            .count();
    line(
        out,
        "| %s | %d | %.1f | **%,d** | %,d | %.1f | %.1f | %.1f | %s | %s | %d/%d | %,.0f / %s |"
            + " **%,.0f** / %s | **%.1f%%** |",
        label,
        rows.size(),
        holders / (double) rows.size(),
        p50,
        Percentiles.nearestRank(msgs, 99),
        mean(rows, r -> r.routed().contactMessages()),
        mean(rows, r -> r.routed().directoryMessages()),
        mean(rows, r -> r.routed().matching() - r.routed().holdersMatched()),
        share(sum(rows, r -> r.routed().holdersMatched()), holders),
        share(sum(rows, r -> r.routed().holdersAsked()), holders),
        filled,
        rows.size(),
        mean(rows, RouteRun.QueryRow::ttl3Messages),
        share(sum(rows, RouteRun.QueryRow::ttl3Holders), holders),
        flood99,
        share(sum(rows, RouteRun.QueryRow::ttl99Holders), holders),
        100 * p50 / flood99);
  }

  private static long sum(List<RouteRun.QueryRow> rows, ToLongFunction<RouteRun.QueryRow> f) {
    return rows.stream().mapToLong(f).sum();
  }

  private static double mean(List<RouteRun.QueryRow> rows, ToLongFunction<RouteRun.QueryRow> f) {
    return sum(rows, f) / (double) rows.size();
  }

  private static String share(long part, long whole) {
    return whole == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100.0 * part / whole);
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
