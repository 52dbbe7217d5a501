package dev.swarmdex.supernode;

import dev.swarmdex.engine.api.ApiHandler;
import dev.swarmdex.engine.catalog.Catalog;
import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.DirectorySettings;
import dev.swarmdex.engine.directory.PortProbe;
import dev.swarmdex.engine.http.Router;
import dev.swarmdex.engine.mesh.ContentHomes;
import dev.swarmdex.engine.mesh.DigestGossip;
import dev.swarmdex.engine.mesh.MeshNode;
import dev.swarmdex.engine.mesh.MeshRole;
import dev.swarmdex.engine.metrics.DirectoryMeters;
import dev.swarmdex.engine.metrics.MetricsAccess;
import dev.swarmdex.engine.relay.Relay;
import dev.swarmdex.engine.relay.RelaySettings;
import dev.swarmdex.engine.server.Closer;
import dev.swarmdex.engine.server.DataFolderLock;
import dev.swarmdex.engine.server.DirectoryHttp;
import dev.swarmdex.engine.server.PublicUrl;
import dev.swarmdex.engine.server.TlsIdentity;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.MeshJoin;
import dev.swarmdex.protocol.ServerTrust;
import dev.swarmdex.protocol.Stats;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running supernode: a directory for its leaves (the index server's engine, with identities
 * checked at the index server) and a member of the mesh, which it joins with credentials the index
 * server issued and reports to, following what each answer says: its neighbours, leaves to move or
 * promote, and when to stand down.
 *
 * <pre>{@code
 * try (Supernode supernode = Supernode.start(config, () -> {})) {
 *   URI api = supernode.uri(); // leaves publish and search here
 * }
 * }</pre>
 */
public final class Supernode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Supernode.class);

  /**
   * What a supernode needs to run.
   *
   * @param index the index server's base URL
   * @param credentials the supernode's identity, issued by the index server with the supernode role
   * @param bind the address to listen on (and to call from)
   * @param port the API's port; 0 picks a free one
   * @param dataDir where the leaves' index lives (soft state, wiped at start)
   * @param name the name the mesh shows
   * @param heartbeat how often leaves beat
   * @param timeout how long a silent leaf stays online
   * @param relay how much it relays for its firewalled leaves
   * @param publicUrl the base URL peers reach it at, named as the {@code via} of its firewalled
   *     leaves; null for the address it listens on (none when bound to every interface)
   * @param tls the key and certificate it serves HTTPS with; null serves plain HTTP
   * @param trust which certificates of an {@code https://} index server and of {@code https://}
   *     neighbours its calls accept (the system trust store by default)
   */
  public record Config(
      URI index,
      Credentials credentials,
      InetAddress bind,
      int port,
      Path dataDir,
      String name,
      Duration heartbeat,
      Duration timeout,
      RelaySettings relay,
      String publicUrl,
      TlsIdentity tls,
      ServerTrust trust) {
    public Config {
      Objects.requireNonNull(index, "index");
      Objects.requireNonNull(credentials, "credentials");
      Objects.requireNonNull(bind, "bind");
      Objects.requireNonNull(dataDir, "dataDir");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535");
      }
      if (name == null || name.isBlank() || name.length() > 64) {
        throw new IllegalArgumentException("name must be 1 to 64 characters");
      }
      if (timeout.compareTo(heartbeat) <= 0) {
        throw new IllegalArgumentException("timeout must be longer than heartbeat");
      }
      Objects.requireNonNull(relay, "relay");
      PublicUrl.check(publicUrl);
      Objects.requireNonNull(trust, "trust");
      PublicUrl.checkScheme(publicUrl, tls != null);
    }

    /** A config that relays at the defaults ({@link RelaySettings#defaults()}). */
    public Config(
        URI index,
        Credentials credentials,
        InetAddress bind,
        int port,
        Path dataDir,
        String name,
        Duration heartbeat,
        Duration timeout) {
      this(
          index,
          credentials,
          bind,
          port,
          dataDir,
          name,
          heartbeat,
          timeout,
          RelaySettings.defaults(),
          null,
          null,
          ServerTrust.system());
    }

    /** This config serving HTTPS with {@code identity} (null: plain HTTP). */
    public Config withTls(TlsIdentity identity) {
      return new Config(
          index,
          credentials,
          bind,
          port,
          dataDir,
          name,
          heartbeat,
          timeout,
          relay,
          publicUrl,
          identity,
          trust);
    }

    /** This config accepting the certificates {@code servers} trusts from the servers it calls. */
    public Config withTrust(ServerTrust servers) {
      return new Config(
          index,
          credentials,
          bind,
          port,
          dataDir,
          name,
          heartbeat,
          timeout,
          relay,
          publicUrl,
          tls,
          servers);
    }
  }

  private final Config config;
  private final Directory directory;
  private final Relay relay;
  private final ViewFollower views;
  private final MeshMembership membership;
  private final Closer opened;
  private final URI uri;
  private final List<Router.Route> routes;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Supernode(Config config, Parts parts, Runnable onStandDown, Closer opened, URI uri) {
    this.config = config;
    this.directory = parts.directory;
    this.relay = parts.relay;
    this.views = parts.views;
    this.routes = DirectoryHttp.routes(parts.api.routes());
    this.membership =
        new MeshMembership(
            config,
            new MeshJoin(config.name(), uri.getPort(), config.tls() != null),
            parts,
            onStandDown,
            closed::get);
    this.opened = opened;
    this.uri = uri;
  }

  /** What a started supernode is made of, handed to it and to its {@link MeshMembership}. */
  record Parts(
      Directory directory,
      MeshRole role,
      ApiClient index,
      ScheduledExecutorService mesh,
      Relay relay,
      ViewFollower views,
      ApiHandler api) {}

  /**
   * Starts serving and joins the mesh in the background; {@code onStandDown} runs (on the mesh
   * thread) once the index server has moved the leaves away and told this supernode to stop.
   */
  public static Supernode start(Config config, Runnable onStandDown) throws IOException {
    return start(config, MetricsAccess.loopbackOnly(), onStandDown);
  }

  /** As {@link #start(Config, Runnable)}; {@code access} says who may read /metrics. */
  public static Supernode start(Config config, MetricsAccess access, Runnable onStandDown)
      throws IOException {
    Files.createDirectories(config.dataDir());
    Closer opened = new Closer("supernode");
    opened.add(DataFolderLock.acquire(config.dataDir(), "supernode"));
    try {
      InetAddress from = config.bind().isAnyLocalAddress() ? null : config.bind();
      ApiClient index = opened.add(ApiClient.create(config.index(), from, config.trust()));
      Catalog catalog = opened.add(Catalog.open(config.dataDir().resolve("catalog")));
      MeshMemory memory = new MeshMemory(config.dataDir(), Clock.systemUTC());
      RemoteIdentities identities =
          new RemoteIdentities(
              index, config.credentials(), System::nanoTime, memory.vouchers(), memory.tokens());
      Directory directory =
          new Directory(
              catalog,
              identities,
              PortProbe.tcp(Duration.ofMillis(1500), 32),
              Clock.systemUTC(),
              new DirectorySettings(config.heartbeat(), config.timeout(), 256, 100_000));
      MeshNode node = opened.add(new MeshNode(directory, index, to -> config.credentials()));
      ContentHomes homes =
          opened.add(
              new ContentHomes(directory, index, to -> config.credentials(), Clock.systemUTC()));
      opened.add(
          DigestGossip.start(
              directory, node, index, to -> config.credentials(), config.heartbeat()));
      ViewFollower views =
          opened.add(new ViewFollower(config, index, directory, identities, node, homes, memory));
      EvidenceForwarder reputation =
          new EvidenceForwarder(index, config.credentials(), System::nanoTime);
      opened.add(reputation::close);
      // Levels learnt from the index server expire and change unseen: no search answer is reused.
      directory.setLevels(reputation::levelOf, () -> -1);
      ScheduledExecutorService mesh =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "supernode-" + config.name());
                thread.setDaemon(true);
                return thread;
              });
      opened.add(
          () -> {
            mesh.shutdownNow();
            mesh.awaitTermination(5, TimeUnit.SECONDS);
          });
      long period = Math.max(200, config.timeout().toMillis() / 3);
      mesh.scheduleWithFixedDelay(
          directory::expireSilentPeers, period, period, TimeUnit.MILLISECONDS);

      Relay relay = opened.add(new Relay(directory, config.relay()));
      MeshRole role = MeshRole.supernode(node, homes, views::exchange);
      ApiHandler api = new ApiHandler(directory, role, relay, reputation, 100);
      String host = config.bind().getHostAddress();
      DirectoryHttp http =
          opened.add(
              DirectoryHttp.create(
                  "supernode-http",
                  host,
                  config.port(),
                  config.tls(),
                  api,
                  access,
                  api::runsInline));
      DirectoryMeters.bind(http.metrics(), directory, role, relay, api.counts());
      http.start();
      String scheme = config.tls() == null ? "http://" : "https://";
      URI uri = URI.create(scheme + host(config.bind()) + ":" + http.port());
      directory.setPublicUrl(
          PublicUrl.choose(config.publicUrl(), config.bind().isAnyLocalAddress(), uri));
      Supernode supernode =
          new Supernode(
              config,
              new Parts(directory, role, index, mesh, relay, views, api),
              onStandDown,
              opened,
              uri);
      supernode.membership.start();
      views.start();
      LOG.info("supernode {} listening on {}", config.name(), uri);
      return supernode;
    } catch (Exception e) {
      opened.close();
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException("cannot start the supernode: " + e.getMessage(), e);
    }
  }

  /** The API's base URL: leaves attach, publish and search here. */
  public URI uri() {
    return uri;
  }

  /** Every route its API answers, as declared: what {@code GET /api/v1/openapi.json} describes. */
  public List<Router.Route> routes() {
    return routes;
  }

  /** Whether the index server has taken this supernode into the mesh. */
  public boolean isInMesh() {
    return membership.inMesh();
  }

  /** Bytes relayed from firewalled leaves to downloaders since start. */
  public long bytesRelayed() {
    return relay.bytesRelayed();
  }

  /** The ids of the mesh's members this supernode counts alive now (itself among them). */
  public List<String> members() {
    return views.members();
  }

  /** Leaves online, entries and bytes they share. */
  public Stats stats() {
    return directory.stats();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      opened.close();
      LOG.info("supernode {} on {} stopped", config.name(), uri);
    }
  }

  private static String host(InetAddress bind) {
    InetAddress host = bind.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bind;
    String text = host.getHostAddress().replaceAll("%.*$", "");
    return host instanceof Inet6Address ? "[" + text + "]" : text;
  }
}
