package dev.swarmdex.engine.mesh;

import dev.swarmdex.protocol.SignedMembers;

/**
 * A supernode's side of {@code POST mesh/members}: takes the member list a caller offers when the
 * index server signed it and it is newer, and answers its own when that is newer (else only its
 * version), so member lists travel among supernodes while the index server is away.
 */
@FunctionalInterface
public interface MemberExchange {
  /**
   * The exchange with the holder of {@code token}.
   *
   * @throws SecurityException when the caller is neither a directory known here nor vouched for by
   *     the signed list it offers
   */
  SignedMembers exchange(String token, SignedMembers offered);
}
