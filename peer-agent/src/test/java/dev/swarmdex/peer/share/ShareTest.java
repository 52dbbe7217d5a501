package dev.swarmdex.peer.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShareTest {
  private static ShareEntry entry(int i) {
    String hex = HexFormat.of().toHexDigits((long) i);
    Sha256 sha = Sha256.of("0".repeat(48) + hex);
    return new ShareEntry("f" + i, Path.of("/share/f" + i), new SharedFile("f" + i, 1, sha), 0);
  }

  @Test
  void neverHoldsMoreThanADirectoryTakesFromOnePeer() {
    List<ShareEntry> entries = new ArrayList<>();
    for (int i = 0; i < Limits.MAX_ENTRIES_PER_PEER + 5; i++) {
      entries.add(entry(i));
    }
    Share share = Share.of(Path.of("/share"), entries);
    assertEquals(Limits.MAX_ENTRIES_PER_PEER, share.size());
    assertTrue(share.contains(entry(0).file().sha256()), "the first in scan order are kept");
    assertFalse(share.contains(entry(Limits.MAX_ENTRIES_PER_PEER).file().sha256()));
  }

  @Test
  void admitsOnlyRealPathsBelowTheRootWithNoHiddenNameOnTheWay() {
    Share share = Share.empty(Path.of("/home/u/.local/share"));
    assertTrue(share.admits(Path.of("/home/u/.local/share/music/a.mp3")), "the root may be hidden");
    assertTrue(share.admits(Path.of("/home/u/.local/share/a.b.c")));
    assertFalse(share.admits(Path.of("/home/u/.local/share/.ssh/id_rsa")));
    assertFalse(share.admits(Path.of("/home/u/.local/share/music/.private/a.mp3")));
    assertFalse(share.admits(Path.of("/home/u/.local/share/music/a.mp3.part")));
    assertFalse(share.admits(Path.of("/home/u/.local/share/.hidden")));
    assertFalse(share.admits(Path.of("/home/u/.local/share")), "the root itself is no file");
    assertFalse(share.admits(Path.of("/home/u/.local/shared/a.mp3")), "a sibling folder");
    assertFalse(share.admits(Path.of("/home/u/a.mp3")));
  }
}
