package dev.swarmdex.engine.metrics;

import dev.swarmdex.engine.api.ApiCounts;
import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.mesh.MemberView;
import dev.swarmdex.engine.mesh.MeshNode;
import dev.swarmdex.engine.mesh.MeshRole;
import dev.swarmdex.engine.relay.Relay;
import dev.swarmdex.engine.watch.Watches;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;

/**
 * The meters every directory (the index server, a supernode) has: its peers and entries, its
 * searches and publishes, the queries its mesh node passed, its relay's slots and bytes and, at the
 * index server, the network beyond it and each supernode's leaves. Read from the counts the parts
 * keep; each meter is named and explained in docs/METRICS.md.
 */
public final class DirectoryMeters {
  private DirectoryMeters() {}

  /**
   * Binds a directory's meters to {@code metrics}.
   *
   * @param relay its relay; null when it has none
   */
  public static void bind(
      ServerMetrics metrics, Directory directory, MeshRole mesh, Relay relay, ApiCounts api) {
    metrics
        .gauge("swarmdex.peers.online", "peers in session here", () -> directory.stats().peers())
        .gauge(
            "swarmdex.presences",
            "presence connections held open here",
            () -> directory.presencesHeld())
        .gauge("swarmdex.entries", "file entries published here", () -> directory.stats().files())
        .gauge(
            "swarmdex.entries.bytes",
            "bytes the entries here name",
            () -> directory.stats().bytes())
        .counter("swarmdex.searches", "user searches answered here", api::searches)
        .counter(
            "swarmdex.searches.reused",
            "user searches answered with an earlier answer's JSON (nothing it was made of changed)",
            api::searchesReused)
        .counter("swarmdex.publishes", "whole file lists accepted", api::publishes, "kind", "full")
        .counter(
            "swarmdex.publishes",
            "changes to file lists accepted",
            api::publishedChanges,
            "kind",
            "changes");
    MeshNode node = mesh.node();
    metrics
        .counter(
            "swarmdex.mesh.queries",
            "queries this mesh node took: user searches started here and floods received",
            () -> node.counters().received(),
            "outcome",
            "received")
        .counter(
            "swarmdex.mesh.queries",
            "queries passed on to neighbours",
            () -> node.counters().forwarded(),
            "outcome",
            "forwarded")
        .counter(
            "swarmdex.mesh.queries",
            "flooded queries seen before and dropped",
            () -> node.counters().duplicates(),
            "outcome",
            "duplicate")
        .counter(
            "swarmdex.search.hits",
            "results this directory's own catalog gave",
            () -> node.counters().hits());
    if (mesh.homes() != null) {
      metrics.counter(
          "swarmdex.routed.lookup.messages",
          "messages sent to find sources by content id through content homes",
          mesh.homes()::lookupMessages);
      Watches watches = mesh.homes().watches();
      metrics
          .gauge("swarmdex.watch.saved", "saved searches of this directory's peers", watches::saved)
          .gauge("swarmdex.watch.held", "saved searches held here as rendezvous", watches::held);
      for (String kind : List.of("published", "notify", "register")) {
        metrics.counter(
            "swarmdex.watch.messages",
            "messages sent for saved searches",
            () -> watches.messages(kind),
            "kind",
            kind);
      }
    }
    if (relay != null) {
      metrics
          .gauge(
              "swarmdex.relay.slots",
              "relays waiting or running",
              relay::activeRelays,
              "state",
              "active")
          .gauge(
              "swarmdex.relay.slots",
              "relays whose firewalled peer is sending",
              relay::runningRelays,
              "state",
              "running")
          .gauge(
              "swarmdex.relay.slots.max",
              "relays allowed at once",
              () -> relay.settings().maxRelays())
          .gauge(
              "swarmdex.push.orders",
              "push orders waiting for their firewalled peer to collect them",
              relay::pushOrders)
          .counter(
              "swarmdex.relay.bytes",
              "bytes relayed from firewalled peers to downloaders",
              relay::bytesRelayed);
    }
    if (mesh.isIndex()) {
      bindNetwork(metrics, mesh);
    }
  }

  private static void bindNetwork(ServerMetrics metrics, MeshRole mesh) {
    metrics
        .gauge(
            "swarmdex.network.leaves",
            "leaves online at the supernodes",
            () -> mesh.registry().totals()[0])
        .gauge(
            "swarmdex.network.entries",
            "entries the supernodes reported",
            () -> mesh.registry().totals()[1])
        .gauge(
            "swarmdex.supernodes",
            "supernodes in the mesh",
            () -> mesh.registry().members().size());
    MultiGauge leaves =
        MultiGauge.builder("swarmdex.supernode.leaves")
            .description("leaves each supernode reported at its last heartbeat")
            .register(metrics.registry());
    metrics.beforeScrape(
        () -> {
          List<MultiGauge.Row<?>> rows = new ArrayList<>();
          for (MemberView member : mesh.registry().members()) {
            rows.add(MultiGauge.Row.of(Tags.of("supernode", member.id()), member.leaves().size()));
          }
          leaves.register(rows, true);
        });
  }
}
