package dev.swarmdex.engine.catalog;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.lucene.util.BytesRef;

/**
 * The bucket term of a content id ({@link EntryFields#SHA_BUCKET}): the first {@value #BYTES} bytes
 * of an HMAC-SHA256 of its digest, under a key drawn when the catalog opens. Content ids are
 * whatever publishers claim, so a bucket made of the digest's own bytes could be aimed at: a peer
 * publishing made-up ids that all start alike would fill one bucket and slow every lookup in it. A
 * keyed bucket cannot be aimed at, and since the index is wiped at every open the key never needs
 * to outlive the catalog. Thread-safe.
 */
final class ContentBuckets {
  /** Bytes of a bucket term: 65,536 buckets, about 15 entries each at a million entries. */
  static final int BYTES = 2;

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  private ContentBuckets(byte[] key) {
    this.key = new SecretKeySpec(key, ALGORITHM);
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  /** Buckets under a fresh random key. */
  static ContentBuckets random() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new ContentBuckets(key);
  }

  /** The bucket term of the 32 bytes of a digest. */
  BytesRef of(BytesRef digest) {
    Mac mac = macs.get();
    mac.update(digest.bytes, digest.offset, digest.length);
    byte[] hash = mac.doFinal();
    return new BytesRef(hash, 0, BYTES);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
    }
  }
}
