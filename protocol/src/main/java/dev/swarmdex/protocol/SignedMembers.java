package dev.swarmdex.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * A mesh membership as the index server vouched for it, which supernodes pass among themselves
 * ({@code POST mesh/members}) so that one that missed a view learns it from another: each member's
 * id, URL and the hash of its mesh token (so its calls authenticate while the index server is
 * away), when it was issued ({@code issued}, epoch milliseconds at the index server: the later
 * wins), and the index server's Ed25519 signature of all of it. Nobody but the index server can add
 * a member. An offer without members and signature says only which version its sender holds.
 *
 * <pre>{@code
 * SignedMembers list = SignedMembers.sign(indexKey, now, members);
 * boolean good = list.verifies(indexKey.publicKey());
 * }</pre>
 */
public record SignedMembers(long issued, List<Member> members, String signature) {
  /** One vouched-for member: its id, the base URL of its API and its mesh token's hash. */
  public record Member(String id, String url, String tokenHash) {
    public Member {
      Require.text("id", id, 64);
      Require.text("url", url, 256);
      Require.text("tokenHash", tokenHash, 64);
    }

    /** As a neighbour (id and URL). */
    public Neighbour neighbour() {
      return new Neighbour(id, url);
    }
  }

  public SignedMembers {
    if (issued < 0) {
      throw new IllegalArgumentException("issued must not be negative");
    }
    members = Require.list("members", members, MeshView.MAX_MEMBERS);
    if (signature != null) {
      PeerKey.requireSignature("signature", signature);
    }
  }

  /** An offer of the version only: "I hold the list issued then" (0: none). */
  public static SignedMembers version(long issued) {
    return new SignedMembers(issued, List.of(), null);
  }

  /** The members signed by {@code index} (the index server's key) as issued at {@code issued}. */
  public static SignedMembers sign(PeerKey index, long issued, List<Member> members) {
    return new SignedMembers(issued, members, index.sign(signedText(issued, members)));
  }

  /** Whether it carries a list (not only a version). */
  public boolean hasList() {
    return signature != null;
  }

  /** Whether the holder of {@code indexPublicKey} signed this list. */
  public boolean verifies(String indexPublicKey) {
    return signature != null
        && PeerKey.verify(indexPublicKey, signedText(issued, members), signature);
  }

  /** The members as neighbours (id and URL). */
  public List<Neighbour> neighbours() {
    return members.stream().map(Member::neighbour).toList();
  }

  private static String signedText(long issued, List<Member> members) {
    List<Member> sorted = new ArrayList<>(members);
    sorted.sort(Comparator.comparing(Member::id).thenComparing(Member::url));
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Member m : sorted) {
        sha.update(
            (m.id() + "\t" + m.url() + "\t" + m.tokenHash() + "\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      return "swarmdex-members-v1\n" + issued + "\n" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }
}
