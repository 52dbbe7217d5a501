package dev.swarmdex.index.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmdex.index.reputation.CorruptReports.Published;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.TransferReport;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CorruptReportsTest {
  private static final int MIB = HashTree.CHUNK_SIZE;
  private static final long SIZE = 2L * MIB + 100; // three chunks, the last 100 bytes
  private static final Sha256 FILE = Sha256.of("a".repeat(64));
  private static final PeerKey KEY = PeerKey.generate();
  private static final HashTree TREE = tree();
  private static final Published PUBLISHED = new Published(SIZE, TREE.root());
  private static final String BAD = "ee".repeat(32);

  private static HashTree tree() {
    byte[] digests = new byte[3 * 32];
    for (int i = 0; i < 3; i++) {
      digests[i * 32] = (byte) (i + 1);
    }
    return HashTree.ofDigests(SIZE, digests);
  }

  private static TransferReport report(long first, long last, String digest, byte[] chunks) {
    ServedPart proof = new ServedPart(first, last, 5, KEY.sign("ticket"), digest);
    return TransferReport.signed(
        KEY,
        "reporter",
        "uploader",
        FILE,
        TransferReport.CORRUPT,
        proof,
        TransferReport.encodeChunks(chunks));
  }

  @Test
  void aTicketForBytesOtherThanThePublishedChunkProvesCorruption() {
    assertEquals(
        Optional.empty(),
        CorruptReports.problem(report(0, MIB - 1, BAD, TREE.digests()), PUBLISHED));
    assertEquals(
        Optional.empty(),
        CorruptReports.problem(report(2L * MIB, SIZE - 1, BAD, TREE.digests()), PUBLISHED));
  }

  @Test
  void aTicketForBytesThatMatchThePublishedTreeProvesNothing() {
    for (int i = 0; i < 3; i++) {
      long first = (long) i * MIB;
      long last = Math.min(SIZE, first + MIB) - 1;
      assertEquals(
          Optional.of(CorruptReports.BYTES_MATCH),
          CorruptReports.problem(
              report(first, last, TREE.chunk(i).hex(), TREE.digests()), PUBLISHED));
    }
  }

  @Test
  void aChunkListOtherThanThePublishedOneIsRefused() {
    byte[] forged = TREE.digests();
    forged[32] ^= 1; // chunk 1 "was" something else
    assertEquals(
        Optional.of("the chunk list is not the one the uploader published"),
        CorruptReports.problem(report(MIB, 2L * MIB - 1, TREE.chunk(1).hex(), forged), PUBLISHED));
  }

  @Test
  void withoutAPublishedRootNoCorruptReportCounts() {
    TransferReport report = report(0, MIB - 1, BAD, TREE.digests());
    assertEquals(true, CorruptReports.problem(report, null).isPresent());
    assertEquals(true, CorruptReports.problem(report, new Published(SIZE, null)).isPresent());
  }

  @Test
  void theProofMustBeExactlyOneChunk() {
    String notOne = "the proof does not cover exactly one chunk";
    assertEquals(
        Optional.of(notOne),
        CorruptReports.problem(report(1, MIB, BAD, TREE.digests()), PUBLISHED));
    assertEquals(
        Optional.of(notOne),
        CorruptReports.problem(report(0, MIB - 2, BAD, TREE.digests()), PUBLISHED));
    assertEquals(
        Optional.of(notOne),
        CorruptReports.problem(report(2L * MIB, 3L * MIB - 1, BAD, TREE.digests()), PUBLISHED));
    assertEquals(
        Optional.of(notOne),
        CorruptReports.problem(report(3L * MIB, 4L * MIB - 1, BAD, TREE.digests()), PUBLISHED));
    assertEquals(
        Optional.of("the chunk list does not fit the published size"),
        CorruptReports.problem(
            report(0, MIB - 1, BAD, TREE.digests()), new Published(5L * MIB, TREE.root())));
  }
}
