package dev.swarmdex.peer.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.Sha256;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumeStateTest {
  private static final Sha256 SHA = Sha256.of("ab".repeat(32));

  private static ResumeState sample() {
    long size = 3L * HashTree.CHUNK_SIZE + 9;
    HashTree tree =
        HashTree.of(
            size,
            List.of(
                Sha256.of("01".repeat(32)),
                Sha256.of("02".repeat(32)),
                Sha256.of("03".repeat(32)),
                Sha256.of("04".repeat(32))));
    BitSet verified = new BitSet();
    verified.set(1);
    verified.set(3);
    return new ResumeState(SHA, size, tree, verified);
  }

  @Test
  void roundTripsWithAndWithoutATree() {
    ResumeState state = sample();
    assertEquals(state, ResumeState.decode(state.encode()));

    ResumeState noTree = new ResumeState(SHA, 10, null, new BitSet());
    assertEquals(noTree, ResumeState.decode(noTree.encode()));
  }

  @Test
  void aTornOrDamagedStateIsRefused() {
    byte[] bytes = sample().encode();
    assertThrows(
        IllegalArgumentException.class,
        () -> ResumeState.decode(Arrays.copyOf(bytes, bytes.length - 3)));
    byte[] flipped = bytes.clone();
    flipped[60] ^= 1;
    assertThrows(IllegalArgumentException.class, () -> ResumeState.decode(flipped));
    assertThrows(IllegalArgumentException.class, () -> ResumeState.decode(new byte[5]));
  }
}
