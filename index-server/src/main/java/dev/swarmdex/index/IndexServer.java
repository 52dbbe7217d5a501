package dev.swarmdex.index;

import dev.swarmdex.engine.api.ApiHandler;
import dev.swarmdex.engine.catalog.Catalog;
import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.DirectorySettings;
import dev.swarmdex.engine.directory.PortProbe;
import dev.swarmdex.engine.directory.Tokens;
import dev.swarmdex.engine.http.Router;
import dev.swarmdex.engine.mesh.ContentHomes;
import dev.swarmdex.engine.mesh.DigestGossip;
import dev.swarmdex.engine.mesh.LeafAddresses;
import dev.swarmdex.engine.mesh.MeshNode;
import dev.swarmdex.engine.mesh.MeshRegistry;
import dev.swarmdex.engine.mesh.MeshRole;
import dev.swarmdex.engine.mesh.MeshSettings;
import dev.swarmdex.engine.metrics.DirectoryMeters;
import dev.swarmdex.engine.relay.Relay;
import dev.swarmdex.engine.relay.RelaySettings;
import dev.swarmdex.engine.routing.Digests;
import dev.swarmdex.engine.server.Closer;
import dev.swarmdex.engine.server.DataFolderLock;
import dev.swarmdex.engine.server.DirectoryHttp;
import dev.swarmdex.engine.server.PublicUrl;
import dev.swarmdex.index.cluster.ChangeFollower;
import dev.swarmdex.index.cluster.ClusterIdentities;
import dev.swarmdex.index.cluster.ClusterLoop;
import dev.swarmdex.index.cluster.IndexPeers;
import dev.swarmdex.index.cluster.MemberVouchers;
import dev.swarmdex.index.identity.BanList;
import dev.swarmdex.index.identity.CredentialHandler;
import dev.swarmdex.index.identity.StoredIdentities;
import dev.swarmdex.index.identity.Vouchers;
import dev.swarmdex.index.reputation.CorruptReports;
import dev.swarmdex.index.reputation.ReputationLedger;
import dev.swarmdex.index.reputation.ReputationScore;
import dev.swarmdex.index.reputation.ReputationStore;
import dev.swarmdex.index.store.BanStore;
import dev.swarmdex.index.store.ChangeLog;
import dev.swarmdex.index.store.Database;
import dev.swarmdex.index.store.IndexServerTable;
import dev.swarmdex.index.store.UsedProofs;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.PrivateFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running index server: database, catalog, directory, its place in the mesh and the HTTP server,
 * started together and closed together (in reverse order).
 *
 * <pre>{@code
 * try (IndexServer server = IndexServer.start(Config.defaults().withAddress("127.0.0.1", 0))) {
 *   URI api = server.uri();
 * }
 * }</pre>
 */
public final class IndexServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IndexServer.class);

  /** Joins probing a peer's port at once; each holds a request thread for up to the timeout. */
  private static final int PROBES_AT_ONCE = 32;

  /** The admin account's name. */
  public static final String ADMIN = "admin";

  /** Peers online at once, in all. */
  private static final int MAX_PEERS = 1_000_000;

  private final Closer opened;
  private final URI uri;
  private final Relay relay;
  private final ContentHomes homes;
  private final DigestGossip digests;
  private final List<Router.Route> routes;

  private IndexServer(
      Closer opened,
      URI uri,
      Relay relay,
      ContentHomes homes,
      DigestGossip digests,
      List<Router.Route> routes) {
    this.opened = opened;
    this.uri = uri;
    this.relay = relay;
    this.homes = homes;
    this.digests = digests;
    this.routes = routes;
  }

  /** Opens the stores and starts serving; everything opened is closed again if a step fails. */
  public static IndexServer start(Config config) throws IOException {
    return start(config, () -> {});
  }

  /**
   * {@link #start(Config)}, running {@code beforeListening} once everything is open and before the
   * server takes its first call (the program's warm-up, {@link dev.swarmdex.engine.catalog
   * .CatalogWarmUp}).
   */
  public static IndexServer start(Config config, Runnable beforeListening) throws IOException {
    // The database and the index are nobody else's: owner-only folders, and the embedded
    // database's files narrowed once H2 has made them (what it makes later lies in these folders).
    PrivateFiles.folder(config.dataDir());
    Closer opened = new Closer("index server");
    try {
      opened.add(DataFolderLock.acquire(config.dataDir(), "index server"));
      Path h2 = config.dataDir().resolve("db");
      String dbUrl = config.dbUrl() != null ? config.dbUrl() : Database.h2FileUrl(h2);
      if (config.dbUrl() == null) {
        PrivateFiles.folder(h2);
      }
      Database database = opened.add(Database.open(dbUrl, config.dbPassword()));
      if (config.dbUrl() == null) {
        PrivateFiles.filesIn(h2);
      }
      Catalog catalog = opened.add(Catalog.open(config.dataDir().resolve("catalog")));
      String meshToken = Tokens.newToken();
      // The other index servers on this database (PostgreSQL), and their server tokens. The mesh
      // token goes to supernodes only; the other servers are sent this server's server token.
      IndexPeers servers =
          new IndexPeers(IndexServerTable.using(database.jdbi()), meshToken, Clock.systemUTC());
      BanList identities =
          new BanList(
              new ClusterIdentities(
                  new StoredIdentities(
                      database.peers(),
                      config.dbUrl() == null ? null : UsedProofs.using(database.jdbi()),
                      Clock.systemUTC()),
                  servers),
              BanStore.using(database.jdbi()),
              Clock.systemUTC());
      Directory directory =
          new Directory(
              catalog,
              identities,
              PortProbe.tcp(config.probeTimeout(), PROBES_AT_ONCE),
              Clock.systemUTC(),
              new DirectorySettings(
                  config.heartbeat(), config.timeout(), config.maxPeersPerIp(), MAX_PEERS));

      ReputationLedger reputation =
          ReputationLedger.open(
              ReputationStore.using(database.jdbi()),
              database.peers(),
              Clock.systemUTC(),
              new ReputationScore.Settings(
                  config.reputationMaturity(),
                  config.reputationFullUptime(),
                  config.reputationHalfLife()),
              config.heartbeat());
      directory.setLevels(reputation::levelOf, reputation::levelWrites);

      ApiClient meshClient =
          opened.add(ApiClient.create(URI.create("http://127.0.0.1"), null, config.serverTrust()));
      MeshNode node = opened.add(new MeshNode(directory, meshClient, servers::credentialsTo));
      AtomicReference<String> selfUrl = new AtomicReference<>();
      MeshRegistry registry =
          new MeshRegistry(
              directory,
              node,
              selfUrl::get,
              database.peers()::setRole,
              Clock.systemUTC(),
              new MeshSettings(
                  config.meshDegree(),
                  config.meshHeartbeat(),
                  config.meshHeartbeat().multipliedBy(3)));
      // Bans, levels changed by other servers on an external database take effect here.
      ChangeLog changes = ChangeLog.using(database.jdbi());
      opened.add(
          ClusterLoop.start(
              servers,
              new ChangeFollower(changes, identities, reputation, directory, registry),
              config.dbUrl() != null));
      // Sources by content id: homes over the live directories, the index server among them.
      ContentHomes homes =
          opened.add(
              new ContentHomes(directory, meshClient, servers::credentialsTo, Clock.systemUTC()));
      // Keyword digests: the index server's own, and its affinity group's (issue 21).
      DigestGossip digests =
          opened.add(
              DigestGossip.start(
                  directory, node, meshClient, servers::credentialsTo, config.heartbeat()));
      // --max-peers-per-ip for the whole network: the supernodes' leaves count at every join here,
      // and every leaf attaching to a supernode is counted here first.
      long reports = config.meshHeartbeat().multipliedBy(3).toMillis();
      LeafAddresses addresses =
          new LeafAddresses(
              directory::onlineAt,
              config.maxPeersPerIp(),
              reports,
              reports,
              System::currentTimeMillis);
      directory.setPeersElsewhere(addresses::elsewhere);
      // Evidence counts only for content its subject shares now (here, or at its supernode).
      reputation.setSharing(
          (peerId, sha256) -> node.shares(peerId, sha256, registry.supernodesOf(peerId)),
          peerId -> directory.sessionStart(peerId).or(() -> registry.leafSince(peerId)));
      // A corrupt report counts only against the tree root its subject published.
      reputation.setPublished(
          (peerId, sha256) ->
              node.publishedTree(peerId, sha256, registry.supernodesOf(peerId))
                  .map(tree -> new CorruptReports.Published(tree.getKey(), tree.getValue())));

      AdminApi admin =
          AdminApi.create(config, database, directory, registry, identities, reputation);
      if (config.dbUrl() != null) { // promotions of peers attached to another server reach it
        admin.mesh().sendElsewhere(changes, servers::othersLive);
      }
      Upkeep upkeep =
          opened.add(
              Upkeep.start(config, directory, registry, admin.mesh(), admin.audit(), reputation));

      Relay relay =
          opened.add(
              new Relay(
                  directory,
                  new RelaySettings(
                          config.relayKiBps() * 1024L, config.maxRelays(), config.relayWait())
                      .withPerAddress(config.maxRelaysPerIp())
                      .withFloor(config.relayMinRate(), config.relaySlowWindow())
                      .withPickup(config.relayPickup())));

      MeshRole role = new MeshRole(node, registry, meshToken, addresses, homes);
      ApiHandler api = new ApiHandler(directory, role, relay, reputation, config.rateLimit());
      Clock clock = Clock.systemUTC();
      Vouchers vouchers = Vouchers.open(config.dataDir(), identities, database.peers(), clock);
      // The membership told to supernodes is signed: they pass it among themselves.
      registry.vouchMembersWith(new MemberVouchers(vouchers, database.peers(), servers, clock));
      IndexHttp app =
          IndexHttp.of(admin.handler(), new CredentialHandler(vouchers, api::limitAddress), api);
      DirectoryHttp http =
          opened.add(
              DirectoryHttp.create(
                  "index-http",
                  config.bind(),
                  config.port(),
                  config.tls(),
                  app.handler(),
                  config.metrics(),
                  api::runsInline));
      DirectoryMeters.bind(http.metrics(), directory, role, relay, api.counts());
      http.metrics()
          .counter(
              "swarmdex.reputation.recomputations",
              "reputation recomputations run",
              reputation::recomputations)
          .counter(
              "swarmdex.reputation.level.changes",
              "peer levels they changed",
              reputation::levelChanges);
      beforeListening.run();
      http.start();
      URI uri = URI.create(config.scheme() + "://" + hostForUri(config.bind()) + ":" + http.port());
      selfUrl.set(uri.toString());
      upkeep.followServers(servers, registry, node, homes, config);
      boolean wildcard = config.bind().equals("0.0.0.0") || config.bind().equals("::");
      String publicUrl = PublicUrl.choose(config.publicUrl(), wildcard, uri);
      directory.setPublicUrl(publicUrl);
      servers.setUrl(publicUrl);
      LOG.info("index server listening on {} (data in {})", uri, config.dataDir().toAbsolutePath());
      return new IndexServer(opened, uri, relay, homes, digests, app.routes());
    } catch (Exception e) {
      opened.close();
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException("cannot start the index server: " + e.getMessage(), e);
    }
  }

  /**
   * The base address of the API, for example {@code http://127.0.0.1:8080} ({@code https://} with
   * TLS).
   */
  public URI uri() {
    return uri;
  }

  /**
   * Every route its HTTP API answers (the admin API, credentials, the directory's API, metrics), as
   * declared: what {@code GET /api/v1/openapi.json} describes.
   */
  public List<Router.Route> routes() {
    return routes;
  }

  /** Bytes relayed from firewalled peers to downloaders since start. */
  public long bytesRelayed() {
    return relay.bytesRelayed();
  }

  /** Relays waiting for their firewalled peer or running now. */
  public int activeRelays() {
    return relay.activeRelays();
  }

  /** Relays whose firewalled peer is sending now. */
  public int runningRelays() {
    return relay.runningRelays();
  }

  /** Messages the lookups of sources by content id sent since start (homes and holders asked). */
  public long lookupMessages() {
    return homes.lookupMessages();
  }

  /** The keyword digests held here: its own and its affinity group's ({@code DigestBook}). */
  public Digests digests() {
    return digests.book();
  }

  /** The port the server listens on. */
  public int port() {
    return uri.getPort();
  }

  @Override
  public void close() {
    opened.close();
    LOG.info("index server on {} stopped", uri);
  }

  private static String hostForUri(String bind) {
    return bind.equals("0.0.0.0") ? "127.0.0.1" : bind.indexOf(':') >= 0 ? "[" + bind + "]" : bind;
  }
}
