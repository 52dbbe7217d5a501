package dev.swarmdex.index.cluster;

import dev.swarmdex.engine.directory.Tokens;
import dev.swarmdex.engine.mesh.ContentHomes;
import dev.swarmdex.engine.mesh.MeshNode;
import dev.swarmdex.engine.mesh.MeshRegistry;
import dev.swarmdex.index.store.IndexServerTable;
import dev.swarmdex.index.store.IndexServerTable.Row;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Neighbour;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This index server's row in the table of index servers on the database, and the other live ones:
 * their URLs (members of this server's mesh) and the hashes of their server tokens (so their mesh
 * calls are known here). A server that missed its heartbeats for {@link #LIVE} drops out.
 *
 * <p>A server holds two secrets. Its <em>mesh token</em> goes with its calls to supernodes, and
 * only its own supernodes take it (they check it with this server, or find its hash as this
 * server's in the member list it signed). Its <em>server token</em>, drawn here, goes only to the
 * other index servers (to the URLs of their rows): its hash is what the row holds and what the
 * others accept as this server ({@link ClusterIdentities}). So a supernode, which sees the mesh
 * token on every call made to it, cannot pose as its index server at another one.
 *
 * <pre>{@code
 * IndexPeers peers = new IndexPeers(IndexServerTable.using(jdbi), meshToken, clock);
 * peers.setUrl("https://index-2.example.org");
 * peers.beat(); // every half second
 * client.at(url).route(peers.credentialsTo(url), ask, millis); // the token for that recipient
 * }</pre>
 */
public final class IndexPeers {
  private static final Logger LOG = LoggerFactory.getLogger(IndexPeers.class);

  /** How long a server that stopped beating still counts as live. */
  public static final Duration LIVE = Duration.ofSeconds(5);

  /** Its row outlives a server by this much before the others delete it. */
  private static final Duration FORGOTTEN = Duration.ofHours(1);

  private final IndexServerTable table;
  private final String id = "index-" + Tokens.newToken().substring(0, 12);
  private final String meshToken;
  private final String serverToken = Tokens.newToken();
  private final Clock clock;
  private volatile String url;
  private volatile List<Row> others = List.of();
  private volatile Set<URI> otherUrls = Set.of();
  private volatile Map<String, String> byTokenHash = Map.of();
  private final AtomicBoolean told = new AtomicBoolean();

  public IndexPeers(IndexServerTable table, String meshToken, Clock clock) {
    this.table = table;
    this.meshToken = meshToken;
    this.clock = clock;
  }

  /** The URL other directories reach this server at; it takes part once this is set. */
  public void setUrl(String url) {
    this.url = url;
  }

  /** This server's id among the index servers. */
  public String id() {
    return id;
  }

  /** Writes this server's heartbeat and reads which others are live. */
  public void beat() {
    String at = url;
    if (at == null) {
      return;
    }
    table.beat(new Row(id, at, Tokens.hash(serverToken), clock.instant()));
    List<Row> live = new ArrayList<>();
    for (Row row : table.seenSince(clock.instant().minus(LIVE))) {
      if (!row.id().equals(id)) {
        live.add(row);
      }
    }
    others = List.copyOf(live);
    otherUrls =
        live.stream().map(row -> URI.create(row.url())).collect(Collectors.toUnmodifiableSet());
    byTokenHash = live.stream().collect(Collectors.toUnmodifiableMap(Row::tokenHash, Row::id));
    table.remove(null, clock.instant().minus(FORGOTTEN));
  }

  /** Whether other index servers were live at the last heartbeat. */
  public boolean othersLive() {
    return !others.isEmpty();
  }

  /**
   * The credentials for a mesh call to {@code recipient}: the server token if it is the URL of a
   * live other index server, else (a supernode) the mesh token.
   */
  public Credentials credentialsTo(URI recipient) {
    boolean server = otherUrls.contains(recipient);
    return new Credentials(MeshRegistry.INDEX_ID, server ? serverToken : meshToken);
  }

  /**
   * The token hash a supernode knows {@code serverId} by, in the member list this server signs:
   * this server's mesh token's (its calls to its supernodes carry it), a live other server's server
   * token's (which no supernode is ever sent, so none can present it).
   */
  public Optional<String> tokenHashOf(String serverId) {
    if (serverId.equals(id) || serverId.equals(MeshRegistry.INDEX_ID)) {
      return Optional.of(Tokens.hash(meshToken));
    }
    return others.stream().filter(row -> row.id().equals(serverId)).map(Row::tokenHash).findFirst();
  }

  /** The id of the live other index server whose server token has this hash. */
  public Optional<String> serverWithTokenHash(String hash) {
    return Optional.ofNullable(byTokenHash.get(hash));
  }

  /**
   * The mesh membership this server takes part in, from its own registry's {@code directories}
   * (itself first, as {@link MeshRegistry#INDEX_ID}): alone, that; with other live index servers,
   * itself under its id among the servers, followed by the others, so each server is named the same
   * in every server's membership.
   */
  public Membership membership(List<Neighbour> directories) {
    List<Row> live = others;
    if (live.isEmpty()) {
      return new Membership(MeshRegistry.INDEX_ID, directories, List.of());
    }
    List<Neighbour> members = new ArrayList<>();
    for (Neighbour member : directories) {
      members.add(
          member.id().equals(MeshRegistry.INDEX_ID) ? new Neighbour(id, member.url()) : member);
    }
    List<Neighbour> servers = live.stream().map(row -> new Neighbour(row.id(), row.url())).toList();
    members.addAll(servers);
    return new Membership(id, List.copyOf(members), servers);
  }

  /**
   * A membership, this directory's id in it, and the other index servers (which are also its
   * neighbours, so that a flood reaches their peers).
   */
  public record Membership(String self, List<Neighbour> members, List<Neighbour> servers) {}

  /**
   * Hands the membership over the registry's directories to the node (and as neighbours, the other
   * index servers) and to the content homes, and has the registry tell its supernodes the same
   * membership: what the index server does every 250 ms.
   */
  public void follow(MeshRegistry registry, MeshNode node, ContentHomes homes, Duration heartbeat) {
    if (told.compareAndSet(false, true)) {
      registry.tellMembersAs(directories -> membership(directories).members());
    }
    try {
      Membership now = membership(registry.directories());
      node.setMembers(now.self(), now.members());
      node.setServers(now.servers());
      homes.setMembers(now.self(), now.members(), heartbeat);
    } catch (RuntimeException e) {
      LOG.warn("content homes could not follow the mesh: {}", e.toString());
    }
  }

  /** Deletes this server's row (a clean stop: the others drop it at once). */
  public void leave() {
    table.remove(id, clock.instant().minus(FORGOTTEN));
  }
}
