package dev.swarmdex.engine.mesh;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.protocol.LeafInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where a leaf is, read from the supernodes' latest reports: the {@link MeshRegistry}'s lookups by
 * leaf, called under its lock.
 */
final class MeshLeaves {
  private MeshLeaves() {}

  /** The supernode whose latest report lists {@code leafId}, or null. */
  static MeshMember homeOf(Collection<MeshMember> members, String leafId) {
    for (MeshMember member : members) {
      for (LeafInfo leaf : member.report.leaves()) {
        if (leaf.peerId().equals(leafId)) {
          return member;
        }
      }
    }
    return null;
  }

  /** What the index server or a supernode's report says of {@code peerId}, or null. */
  static LeafInfo leafInfo(Directory index, Collection<MeshMember> members, String peerId) {
    for (LeafInfo leaf : index.leaves()) {
      if (leaf.peerId().equals(peerId)) {
        return leaf;
      }
    }
    MeshMember home = homeOf(members, peerId);
    if (home == null) {
      return null;
    }
    return home.report.leaves().stream()
        .filter(leaf -> leaf.peerId().equals(peerId))
        .findFirst()
        .orElse(null);
  }

  /** The base URLs of the supernodes whose latest report lists {@code peerId}. */
  static List<String> supernodesOf(Collection<MeshMember> members, String peerId) {
    List<String> urls = new ArrayList<>();
    for (MeshMember member : members) {
      if (member.url != null
          && member.report.leaves().stream().anyMatch(leaf -> leaf.peerId().equals(peerId))) {
        urls.add(member.url);
      }
    }
    return urls;
  }

  /** When {@code peerId}'s session at a supernode started, as the latest report listing it says. */
  static Optional<Instant> leafSince(Collection<MeshMember> members, String peerId) {
    for (MeshMember member : members) {
      for (LeafInfo leaf : member.report.leaves()) {
        if (leaf.peerId().equals(peerId)) {
          return Optional.of(
              Instant.ofEpochMilli(member.lastReportMillis - leaf.uptimeSeconds() * 1000));
        }
      }
    }
    return Optional.empty();
  }
}
