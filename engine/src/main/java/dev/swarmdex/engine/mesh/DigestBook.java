package dev.swarmdex.engine.mesh;

import dev.swarmdex.engine.directory.NameListener;
import dev.swarmdex.engine.routing.AffinityGroups;
import dev.swarmdex.engine.routing.Digest;
import dev.swarmdex.engine.routing.DigestPatch;
import dev.swarmdex.engine.routing.DigestShape;
import dev.swarmdex.engine.routing.DigestSummary;
import dev.swarmdex.engine.routing.Digests;
import dev.swarmdex.engine.routing.KeywordTable;
import dev.swarmdex.protocol.DigestAck;
import dev.swarmdex.protocol.DigestUpdate;
import dev.swarmdex.protocol.Neighbour;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyword digests one directory holds: its own, kept current from its catalog's names ({@link
 * NameListener}), and those the other members of its affinity group sent it ({@code mesh/digest}),
 * each under the sender's authenticated id, so a member can only ever replace its own. A digest is
 * held only while its sender is a live member in this directory's group: groups follow the
 * membership ({@link AffinityGroups#bitsFor}), and one that leaves or moves to another group is
 * dropped.
 *
 * <pre>{@code
 * DigestBook book = new DigestBook(DigestShape.STANDARD, node::self, node::members);
 * directory.onNames(book);
 * node.useDigests(book);
 * }</pre>
 */
public final class DigestBook implements Digests, NameListener {
  /** The most bytes a patch may take; past it the whole digest is sent. */
  public static final int PATCH_CAP = 4096;

  private static final Logger LOG = LoggerFactory.getLogger(DigestBook.class);

  private final DigestShape shape;
  private final Supplier<String> self;
  private final Supplier<List<Neighbour>> members;
  private final KeywordTable table;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private Own own; // guarded by this
  private boolean overflowed; // guarded by this
  private volatile Group group = new Group(null, null, Map.of(), Map.of());

  /** This directory's digest at one version, with its encoding. */
  public record Own(long version, Digest digest, byte[] encoded) {}

  private record Held(long version, Digest digest) {}

  /** The membership a group was computed from (by identity), the live ids and the group's. */
  private record Group(
      List<Neighbour> from, String self, Map<String, String> live, Map<String, String> peers) {}

  /** Why a digest was refused: an HTTP status and code for the API to answer with. */
  public static final class Refused extends RuntimeException {
    private final int status;
    private final String code;

    Refused(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }
  }

  /**
   * @param self this directory's id in the mesh (null until known)
   * @param members the live directories now (as {@link MeshNode#members})
   */
  public DigestBook(DigestShape shape, Supplier<String> self, Supplier<List<Neighbour>> members) {
    this.shape = shape;
    this.self = self;
    this.members = members;
    this.table = new KeywordTable(shape);
  }

  public DigestShape shape() {
    return shape;
  }

  @Override
  public synchronized void changed(List<String> added, List<String> removed) {
    added.forEach(table::add);
    for (String name : removed) {
      try {
        table.remove(name);
      } catch (IllegalStateException e) {
        LOG.warn("own digest did not hold a name that left: {}", e.getMessage());
      }
    }
  }

  /**
   * The directory stopped following its names (too many): from now on its own digest has every slot
   * set, a newer version than any before, and so matches any search.
   */
  @Override
  public synchronized void overflowed() {
    overflowed = true;
  }

  /** This directory's own digest now (a snapshot, made again only after a change). */
  public synchronized Own own() {
    long version = table.version() + (overflowed ? 1 : 0);
    if (own == null || own.version() != version) {
      Digest digest =
          overflowed ? Digest.full(shape, Math.max(1, table.entries())) : table.snapshot();
      own = new Own(version, digest, digest.encode());
    }
    return own;
  }

  @Override
  public Digest of(String member) {
    Group now = group();
    if (member.equals(now.self)) {
      return own().digest();
    }
    Held h = now.peers.containsKey(member) ? held.get(member) : null;
    return h == null ? null : h.digest;
  }

  /** The other members of this directory's affinity group now: id to base URL. */
  public Map<String, String> groupPeers() {
    Group now = group();
    held.keySet().retainAll(now.peers.keySet());
    return now.peers;
  }

  /**
   * {@code mesh/digest} from {@code sender} (the id its token authenticated): replaces, patches or
   * checks the digest held for it, all or nothing.
   *
   * @throws Refused 403 when the sender is not a live member of this directory's group, 413 past
   *     the caps, 409 when a patch's base or a check's version is not the one held
   * @throws IllegalArgumentException when the bytes are not a digest or patch of the network's
   *     shape
   */
  public DigestAck accept(String sender, DigestUpdate update) {
    Group now = group();
    if (now.self == null || !now.live.containsKey(sender) || sender.equals(now.self)) {
      throw new Refused(403, "forbidden", "only live members of the mesh send digests");
    }
    if (!now.peers.containsKey(sender)) {
      throw new Refused(403, "not_in_group", "the sender is not in this directory's group");
    }
    if (update.digest() != null) {
      if (update.digest().length > maxDigestBytes()) {
        throw tooLarge("a digest", maxDigestBytes());
      }
      Digest digest = decoded(() -> Digest.decode(update.digest(), shape));
      held.put(sender, new Held(update.version(), digest));
      return new DigestAck(update.version());
    }
    if (update.patch() != null) {
      if (update.patch().length > PATCH_CAP) {
        throw tooLarge("a patch", PATCH_CAP);
      }
      DigestPatch patch = decoded(() -> DigestPatch.decode(update.patch(), shape, PATCH_CAP));
      Held after =
          held.compute(
              sender,
              (id, before) -> {
                if (before == null || before.version != patch.fromVersion()) {
                  throw conflict(before, patch.fromVersion());
                }
                return new Held(patch.toVersion(), patch.apply(before.digest));
              });
      return new DigestAck(after.version);
    }
    Held h = held.get(sender);
    if (h == null || h.version != update.version()) {
      throw conflict(h, update.version());
    }
    return new DigestAck(h.version);
  }

  /** The most bytes a whole digest may take (the raw table and its header). */
  public int maxDigestBytes() {
    return shape.tableBytes() + 16;
  }

  /** The largest {@code mesh/digest} body: the biggest digest in base64, and the JSON around it. */
  public int maxBodyBytes() {
    return 4 * ((maxDigestBytes() + 2) / 3) + 256;
  }

  /** How many other directories' digests are held now. */
  public int heldCount() {
    groupPeers();
    return held.size();
  }

  @Override
  public DigestSummary summary() {
    Own now = own();
    return new DigestSummary(
        now.encoded().length,
        now.digest().entries(),
        now.digest().fillRatio(),
        now.version(),
        heldCount());
  }

  private Group group() {
    List<Neighbour> current = members.get();
    Group g = group;
    String me = self.get();
    if (g.from == current && java.util.Objects.equals(g.self, me)) {
      return g;
    }
    Map<String, String> live = new LinkedHashMap<>();
    current.forEach(member -> live.putIfAbsent(member.id(), member.url()));
    Map<String, String> peers = new LinkedHashMap<>();
    if (me != null) {
      int bits = AffinityGroups.bitsFor(Math.max(1, live.size()));
      int mine = AffinityGroups.groupOf(me, bits);
      live.forEach(
          (id, url) -> {
            if (!id.equals(me) && AffinityGroups.groupOf(id, bits) == mine) {
              peers.put(id, url);
            }
          });
    }
    g = new Group(current, me, Map.copyOf(live), java.util.Collections.unmodifiableMap(peers));
    group = g;
    return g;
  }

  private static <T> T decoded(Supplier<T> decode) {
    try {
      return decode.get();
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed digest bytes: " + e.getMessage(), e);
    }
  }

  private static Refused tooLarge(String what, int cap) {
    return new Refused(413, "too_large", what + " takes at most " + cap + " bytes");
  }

  private static Refused conflict(Held held, long base) {
    return new Refused(
        409,
        "digest_base_unknown",
        "this directory holds "
            + (held == null ? "no digest" : "version " + held.version)
            + " of the sender's digest, not "
            + base
            + "; send the whole digest");
  }
}
