package dev.swarmdex.engine.directory;

import dev.swarmdex.engine.directory.DirectoryException.Reason;
import dev.swarmdex.protocol.JoinRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which signed joins a directory takes: signed by the right key, stamped within {@link #SKEW} of
 * its clock, and each only once. The index server keeps one for the whole network (supernodes send
 * their leaves' joins to it through {@code mesh/verify}), so a join captured anywhere cannot be
 * replayed anywhere. Proofs are remembered for twice the skew, then forgotten (by then they are too
 * old to be taken anyway); at most {@link #MAX_REMEMBERED} at once, beyond which joins wait (503).
 */
public final class JoinProofs {
  /** How far a join's stamp may be from the directory's clock, either way. */
  static final Duration SKEW = Duration.ofMinutes(5);

  /** Most proofs remembered at once (a few tens of MB). */
  static final int MAX_REMEMBERED = 200_000;

  private final Clock clock;
  // Signature -> when it may be forgotten; in insertion order, so expiry is in order too.
  private final LinkedHashMap<String, Long> used = new LinkedHashMap<>();

  public JoinProofs(Clock clock) {
    this.clock = clock;
  }

  /**
   * Takes {@code join} as {@code peerId} ({@link JoinRequest#NEW_IDENTITY} for a first join) signed
   * by {@code publicKey}, or throws saying why not.
   */
  public synchronized void admit(String peerId, String publicKey, JoinRequest join) {
    if (!join.carriesProof()) {
      throw new IllegalArgumentException(
          "a join must carry the peer's public key (key) and its signature (proof)");
    }
    long now = clock.millis();
    long stamped = join.proof().signedAt();
    if (Math.abs(now - stamped) > SKEW.toMillis()) {
      throw new IllegalArgumentException(
          "the join is stamped "
              + (stamped - now) / 1000
              + " s from the directory's time (at most "
              + SKEW.toSeconds()
              + " s either way): check the clock");
    }
    if (!join.proofVerifies(peerId, publicKey)) {
      throw new DirectoryException(
          Reason.UNAUTHORIZED,
          JoinRequest.NEW_IDENTITY.equals(peerId)
              ? "the join's signature does not verify with the key it carries"
              : "the join is not signed by this identity's key: a token alone joins nothing");
    }
    forgetExpired(now);
    String signature = join.proof().signature();
    if (used.containsKey(signature)) {
      throw new DirectoryException(
          Reason.UNAUTHORIZED, "this signed join was used before: a join is taken once");
    }
    if (used.size() >= MAX_REMEMBERED) {
      throw new DirectoryException(Reason.BUSY, "too many joins at once; retry shortly");
    }
    used.put(signature, now + 2 * SKEW.toMillis());
  }

  private void forgetExpired(long now) {
    Iterator<Map.Entry<String, Long>> oldest = used.entrySet().iterator();
    while (oldest.hasNext() && oldest.next().getValue() <= now) {
      oldest.remove();
    }
  }
}
