package dev.swarmdex.protocol;

/**
 * {@code POST mesh/digest}: a directory's keyword digest (its leaves' words), sent to the members
 * of its affinity group, in one of three forms (byte fields are base64 in JSON):
 *
 * <ul>
 *   <li>whole: {@code version} and {@code digest} (the encoding of {@code routing.Digest});
 *   <li>a patch: {@code patch} only (the encoding of {@code routing.DigestPatch}, which names the
 *       version it goes from and the one it makes); the receiver must hold the first (else 409);
 *   <li>a check: {@code version} only, "still at this version"; 409 when the receiver holds
 *       another.
 * </ul>
 *
 * The receiver answers with a {@link DigestAck}.
 */
public record DigestUpdate(Long version, byte[] digest, byte[] patch) {
  public DigestUpdate {
    if (patch != null) {
      if (digest != null || version != null) {
        throw new IllegalArgumentException("a patch names its versions; send no version or digest");
      }
    } else if (version == null || version < 0) {
      throw new IllegalArgumentException("version is required (0 or more) without a patch");
    }
  }

  /** The whole digest at {@code version}. */
  public static DigestUpdate whole(long version, byte[] digest) {
    return new DigestUpdate(version, Require.present("digest", digest), null);
  }

  /** A patch from the version the receiver acknowledged to a newer one. */
  public static DigestUpdate patch(byte[] patch) {
    return new DigestUpdate(null, null, patch);
  }

  /**
   * "Still at {@code version}": what a sender checks now and then, so a restarted receiver asks.
   */
  public static DigestUpdate check(long version) {
    return new DigestUpdate(version, null, null);
  }

  /** The bytes of digest or patch carried (0 for a check). */
  public int payloadBytes() {
    return patch != null ? patch.length : digest != null ? digest.length : 0;
  }
}
