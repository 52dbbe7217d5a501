package dev.swarmdex.engine.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DigestWireTest {
  private static final DigestShape SHAPE = DigestShape.STANDARD;

  private static KeywordTable fullTable() {
    Random random = new Random(5);
    List<String> vocabulary = SyntheticNames.vocabulary(random, 20_000);
    KeywordTable table = new KeywordTable(SHAPE);
    for (int i = 0; i < 3_000; i++) {
      table.add(SyntheticNames.name(random, vocabulary));
    }
    return table;
  }

  @Test
  void aFullTableTravelsRawAndComesBackTheSame() {
    Digest d = fullTable().snapshot();
    byte[] wire = d.encode();
    assertTrue(wire.length <= SHAPE.tableBytes() + 16, wire.length + " bytes");
    assertEquals(d, Digest.decode(wire, SHAPE));
  }

  @Test
  void aSmallDirectoryTravelsAsItsSetSlots() {
    KeywordTable table = new KeywordTable(SHAPE);
    table.add("Hey Jude.mp3");
    Digest d = table.snapshot();
    byte[] wire = d.encode();
    assertTrue(wire.length < 200, wire.length + " bytes");
    Digest back = Digest.decode(wire, SHAPE);
    assertEquals(d, back);
    assertEquals(1, back.entries());
    assertTrue(back.mayMatch(DigestQuery.of("jude")));
  }

  @Test
  void decodingRefusesWhatIsNotADigestOfTheNetworksShape() {
    byte[] good = fullTable().snapshot().encode();
    assertThrows(IllegalArgumentException.class, () -> Digest.decode(good, new DigestShape(17, 4)));
    assertThrows(
        IllegalArgumentException.class,
        () -> Digest.decode(Arrays.copyOf(good, good.length - 1), SHAPE));
    assertThrows(
        IllegalArgumentException.class,
        () -> Digest.decode(Arrays.copyOf(good, good.length + 1), SHAPE));
    byte[] unknownForm = good.clone();
    unknownForm[0] = 9;
    assertThrows(IllegalArgumentException.class, () -> Digest.decode(unknownForm, SHAPE));
    // Sparse: one slot, past the end of the table.
    byte[] outside = {1, 18, 4, 0, 1, (byte) 0xff, (byte) 0xff, 0x7f};
    assertThrows(IllegalArgumentException.class, () -> Digest.decode(outside, SHAPE));
    // Sparse: claims a million slots and ends.
    byte[] tooMany = {1, 18, 4, 0, (byte) 0xc0, (byte) 0x84, 0x3d};
    assertThrows(IllegalArgumentException.class, () -> Digest.decode(tooMany, SHAPE));
    assertThrows(IllegalArgumentException.class, () -> Digest.decode(new byte[0], SHAPE));
    byte[] hugeShape = {1, 30, 4, 0, 0};
    assertThrows(IllegalArgumentException.class, () -> Digest.decode(hugeShape, SHAPE));
  }

  @Test
  void aOneNameChangeIsAPatchOfAFewHundredBytes() {
    KeywordTable table = fullTable();
    Digest before = table.snapshot();
    long v = table.version();
    table.add("Wonderwall Oasis Morning Glory 1995.mp3");
    Digest after = table.snapshot();
    DigestPatch patch = DigestPatch.between(before, after, v, table.version(), 4096).orElseThrow();
    byte[] wire = patch.encode();
    // 7 terms, 30 prefixes, 21 pairs of heads: about 58 keys x 4 slots, 2 bytes a slot at most.
    assertTrue(wire.length < 400, wire.length + " bytes");
    DigestPatch back = DigestPatch.decode(wire, SHAPE, 4096);
    assertEquals(after, back.apply(before));
    assertEquals(after, back.apply(back.apply(before)), "applying twice does no harm");
    assertEquals(v, back.fromVersion());
    assertEquals(table.version(), back.toVersion());
    assertTrue(after.mayMatch(DigestQuery.of("wonderwall")));
  }

  @Test
  void aLeafLeavingIsAPatchThatClearsItsSlots() {
    KeywordTable table = fullTable();
    table.add("Wonderwall Oasis.mp3");
    Digest before = table.snapshot();
    table.remove("Wonderwall Oasis.mp3");
    Digest after = table.snapshot();
    DigestPatch patch = DigestPatch.between(before, after, 1, 2, 4096).orElseThrow();
    assertTrue(patch.changedSlots() > 0);
    Digest applied = patch.apply(before);
    assertEquals(after, applied);
    assertFalse(applied.mayMatch(DigestQuery.of("wonderwall ")));
  }

  @Test
  void aPatchOverTheCapIsNotMadeAndNotTaken() {
    Digest empty = Digest.empty(SHAPE);
    Digest full = fullTable().snapshot();
    assertEquals(Optional.empty(), DigestPatch.between(empty, full, 0, 1, 4096));
    DigestPatch big = DigestPatch.between(empty, full, 0, 1, Integer.MAX_VALUE).orElseThrow();
    byte[] wire = big.encode();
    assertThrows(IllegalArgumentException.class, () -> DigestPatch.decode(wire, SHAPE, 4096));
    assertEquals(full, DigestPatch.decode(wire, SHAPE, wire.length).apply(empty));
  }

  @Test
  void aPatchThatSetsAndClearsOneSlotOrGoesBackwardsIsRefused() {
    // shape 19/4, from 0 to 1, 0 entries, set {5}, cleared {5}
    byte[] both = {19, 4, 0, 1, 0, 1, 5, 1, 5};
    assertThrows(IllegalArgumentException.class, () -> DigestPatch.decode(both, SHAPE, 64));
    byte[] backwards = {19, 4, 3, 2, 0, 0, 0};
    assertThrows(IllegalArgumentException.class, () -> DigestPatch.decode(backwards, SHAPE, 64));
    byte[] fine = {19, 4, 0, 1, 0, 1, 5, 1, 6};
    Digest d = DigestPatch.decode(fine, SHAPE, 64).apply(Digest.empty(SHAPE));
    assertEquals(1, d.setSlots());
    assertTrue(d.isSet(5));
  }

  @Test
  void aSlotGapThatWouldWrapPastTheLargestLongIsRefused() {
    // shape 19/4, from 0 to 1, 0 entries, set {10, then a gap of 2^63 - 11}, cleared {}
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(new byte[] {19, 4, 0, 1, 0, 2, 10});
    long gap = Long.MAX_VALUE - 10;
    while ((gap & ~0x7fL) != 0) {
      out.write((int) ((gap & 0x7f) | 0x80));
      gap >>>= 7;
    }
    out.write((int) gap);
    out.write(0);
    byte[] wrapping = out.toByteArray();
    assertThrows(IllegalArgumentException.class, () -> DigestPatch.decode(wrapping, SHAPE, 64));
  }

  @Test
  void aMergedDigestMatchesWhatEitherMatches() {
    KeywordTable a = new KeywordTable(SHAPE);
    a.add("Hey Jude.mp3");
    KeywordTable b = new KeywordTable(SHAPE);
    b.add("Wonderwall.mp3");
    Digest merged = a.snapshot().merge(b.snapshot());
    assertTrue(merged.mayMatch(DigestQuery.of("jude")));
    assertTrue(merged.mayMatch(DigestQuery.of("wonderwall")));
    assertFalse(merged.mayMatch(DigestQuery.of("zeppelin")));
    assertEquals(2, merged.entries());
  }

  @Test
  void foldingKeepsEveryKeyAndMergingFoldsToTheSmallerSize() {
    KeywordTable table = new KeywordTable(SHAPE);
    table.add("Hey Jude.mp3");
    Digest folded = table.snapshot().fold(12);
    assertEquals(new DigestShape(12, 4), folded.shape());
    assertTrue(folded.mayMatch(DigestQuery.of("hey jude")));
    KeywordTable small = new KeywordTable(new DigestShape(12, 4));
    small.add("Hey Jude.mp3");
    assertEquals(small.snapshot(), folded, "a folded table is the table built at that size");
    KeywordTable other = new KeywordTable(SHAPE);
    other.add("Wonderwall.mp3");
    Digest merged = other.snapshot().merge(folded);
    assertEquals(12, merged.shape().bits());
    assertTrue(merged.mayMatch(DigestQuery.of("wonderwall")));
    assertThrows(IllegalArgumentException.class, () -> folded.fold(13));
    assertThrows(
        IllegalArgumentException.class, () -> folded.merge(Digest.empty(new DigestShape(12, 3))));
  }

  @Test
  void theRawFormIsLittleEndianSlotOrder() {
    KeywordTable table = new KeywordTable(new DigestShape(10, 1));
    table.add("x.txt");
    Digest d = table.snapshot();
    byte[] raw = new byte[128];
    for (int slot = d.nextSet(0); slot >= 0; slot = d.nextSet(slot + 1)) {
      raw[slot / 8] |= (byte) (1 << (slot % 8));
    }
    byte[] wire = new byte[4 + raw.length];
    wire[0] = 0;
    wire[1] = 10;
    wire[2] = 1;
    wire[3] = 1;
    System.arraycopy(raw, 0, wire, 4, raw.length);
    assertEquals(d, Digest.decode(wire, new DigestShape(10, 1)));
    assertArrayEquals(d.encode(), Digest.decode(d.encode(), d.shape()).encode());
  }
}
