package dev.swarmdex.index.identity;

import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.engine.directory.Identities;
import dev.swarmdex.index.store.PeerStore;
import dev.swarmdex.protocol.PeerCredential;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.PrivateFiles;
import dev.swarmdex.protocol.SignedMembers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The index server's vouchers ({@link PeerCredential}): signed with its own Ed25519 key, kept in
 * {@code index.key} in its data folder (owner-only, made at first start), so supernodes can admit a
 * returning peer while the index server is away.
 */
public final class Vouchers {
  /** How long a voucher holds: a peer away longer waits for the index server to rejoin. */
  public static final Duration LIFETIME = Duration.ofDays(1);

  private final PeerKey key;
  private final Identities identities;
  private final PeerStore peers;
  private final Clock clock;

  private Vouchers(PeerKey key, Identities identities, PeerStore peers, Clock clock) {
    this.key = key;
    this.identities = identities;
    this.peers = peers;
    this.clock = clock;
  }

  /** Vouchers signed with the key in {@code dataDir/index.key}, made there when missing. */
  public static Vouchers open(Path dataDir, Identities identities, PeerStore peers, Clock clock)
      throws IOException {
    Path file = dataDir.resolve("index.key");
    PeerKey key;
    if (Files.isRegularFile(file)) {
      key = PeerKey.fromBytes(Files.readAllBytes(file));
    } else {
      key = PeerKey.generate();
      PrivateFiles.write(file, key.privateBytes());
    }
    return new Vouchers(key, identities, peers, clock);
  }

  /** {@code members} signed with the same key, as issued at {@code issued} (epoch ms). */
  public SignedMembers signMembers(long issued, List<SignedMembers.Member> members) {
    return SignedMembers.sign(key, issued, members);
  }

  /** The public key supernodes check vouchers with. */
  public String publicKey() {
    return key.publicKey();
  }

  /**
   * A voucher for the holder of {@code token} (banned peers get none: 403).
   *
   * @throws DirectoryException UNAUTHORIZED for an unknown token, NOT_FOUND for an identity without
   *     a key (an admin-made supernode credential never joins as a leaf)
   */
  public PeerCredential vouchFor(String token) {
    if (token == null) {
      throw new DirectoryException(
          Reason.UNAUTHORIZED, "send your token as Authorization: Bearer TOKEN");
    }
    Identities.Identity identity =
        identities
            .byToken(token)
            .orElseThrow(
                () -> new DirectoryException(Reason.UNAUTHORIZED, "this token belongs to no peer"));
    String publicKey =
        peers
            .publicKey(identity.peerId())
            .orElseThrow(
                () ->
                    new DirectoryException(
                        Reason.NOT_FOUND,
                        "this identity has no key registered: it cannot be vouched for"));
    return PeerCredential.sign(
        key,
        identity.peerId(),
        publicKey,
        identity.tokenHash(),
        identity.role(),
        clock.instant().plus(LIFETIME));
  }
}
