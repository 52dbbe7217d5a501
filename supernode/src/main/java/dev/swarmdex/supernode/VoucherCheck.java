package dev.swarmdex.supernode;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.engine.directory.Identities.Identity;
import dev.swarmdex.engine.directory.JoinProofs;
import dev.swarmdex.engine.directory.Tokens;
import dev.swarmdex.protocol.IndexKey;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PeerCredential;
import dev.swarmdex.protocol.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a supernode admits a returning leaf while the index server cannot be reached: the leaf's join
 * carries the index server's voucher ({@link PeerCredential}), which must verify with the index
 * server's public key (learnt when this supernode joined the mesh, kept in {@code index-key.json}),
 * be unexpired, name the token the leaf presents, and name the key that signed the join; the join
 * itself must be fresh and never used before at this supernode ({@link JoinProofs}). Peers the
 * index server evicted (banned) are refused here until it says otherwise.
 */
final class VoucherCheck {
  private static final Logger LOG = LoggerFactory.getLogger(VoucherCheck.class);
  private static final int MAX_ADMITTED = 100_000;

  private final Path keyFile;
  private final Clock clock;
  private final JoinProofs proofs;
  private final Set<String> evicted = ConcurrentHashMap.newKeySet();
  private final Set<String> admitted = ConcurrentHashMap.newKeySet();
  private volatile String indexKey;

  VoucherCheck(Path keyFile, Clock clock) {
    this.keyFile = keyFile;
    this.clock = clock;
    this.proofs = new JoinProofs(clock);
    if (keyFile != null && Files.isRegularFile(keyFile)) {
      try {
        indexKey = Json.readAnswer(Files.readAllBytes(keyFile), IndexKey.class).key();
      } catch (IOException | RuntimeException e) {
        LOG.warn("ignoring unreadable index key {}: {}", keyFile, e.getMessage());
      }
    }
  }

  /** Takes {@code key} as the index server's (said by the index server itself), and keeps it. */
  void learnIndexKey(String key) {
    if (key.equals(indexKey)) {
      return;
    }
    if (indexKey != null) {
      LOG.warn("the index server's voucher key changed; taking the new one");
    }
    indexKey = key;
    if (keyFile != null) {
      try {
        PrivateFiles.write(keyFile, Json.write(new IndexKey(key)));
      } catch (IOException e) {
        LOG.warn("cannot keep the index server's key in {}: {}", keyFile, e.toString());
      }
    }
  }

  /** The index server's public key, or null before it is learnt. */
  String indexKey() {
    return indexKey;
  }

  /** Whether the index server's key is known (vouchers can be checked). */
  boolean knowsIndexKey() {
    return indexKey != null;
  }

  /** Peers the index server evicted: no voucher admits them while it is away. */
  void evicted(Collection<String> peerIds) {
    evicted.addAll(peerIds);
  }

  /** Whether {@code peerId} was admitted on a voucher since this supernode started. */
  boolean admitted(String peerId) {
    return admitted.contains(peerId);
  }

  /**
   * The identity {@code join}'s voucher names for {@code token}.
   *
   * @throws DirectoryException UNAUTHORIZED for a forged voucher or someone else's; BUSY (the index
   *     server is needed) when there is none, it expired or the key is not known yet
   */
  Identity identify(String token, JoinRequest join, String why) {
    PeerCredential voucher = join.credential();
    String key = indexKey;
    if (voucher == null || key == null) {
      throw new DirectoryException(
          Reason.BUSY,
          why
              + (voucher == null
                  ? "; a returning peer may present its credential from the index server"
                  : "; this supernode has not learnt the index server's key yet"));
    }
    if (!voucher.verifies(key)) {
      throw new DirectoryException(
          Reason.UNAUTHORIZED, "the credential is not signed by the index server");
    }
    if (!Tokens.sameHash(voucher.tokenHash(), Tokens.hash(token))) {
      throw new DirectoryException(
          Reason.UNAUTHORIZED, "the credential belongs to another peer's token");
    }
    if (voucher.expiredAt(clock.instant())) {
      throw new DirectoryException(
          Reason.BUSY, why + "; the credential has expired: wait for the index server");
    }
    if (evicted.contains(voucher.peerId())) {
      throw new DirectoryException(Reason.FORBIDDEN, "the network refuses this peer");
    }
    return new Identity(voucher.peerId(), join.name(), voucher.tokenHash(), voucher.role());
  }

  /**
   * Admits {@code join} for {@code identity} on its voucher: signed by the key the voucher names,
   * fresh, and taken once.
   */
  void admit(Identity identity, String token, JoinRequest join, String why) {
    Identity vouched = identify(token, join, why);
    if (!vouched.peerId().equals(identity.peerId())) {
      throw new DirectoryException(
          Reason.UNAUTHORIZED, "the credential belongs to another peer's token");
    }
    PeerCredential voucher = join.credential();
    if (join.key() != null && !join.key().equals(voucher.publicKey())) {
      throw new DirectoryException(
          Reason.UNAUTHORIZED, "the join carries another key than the credential names");
    }
    proofs.admit(identity.peerId(), voucher.publicKey(), join);
    if (admitted.size() >= MAX_ADMITTED) {
      admitted.clear();
    }
    admitted.add(identity.peerId());
    LOG.info("admitted {} on its credential: the index server is away", identity.peerId());
  }
}
