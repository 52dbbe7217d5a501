package dev.swarmdex.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServedTicketTest {
  private static final Sha256 FILE = Sha256.of("a".repeat(64));
  private static final PeerKey KEY = PeerKey.generate();
  private static final String PUBLIC = KEY.publicKey();

  @Test
  void aTicketVerifiesForTheRangeAndAddressItWasMadeFor() {
    String header = ServedTicket.header(KEY, "p1", "127.0.0.3", FILE, 0, 1023, 1_700_000_000L);
    ServedTicket.Stamp stamp = ServedTicket.parse(header);
    assertEquals("p1", stamp.uploader());
    ServedPart part = stamp.part(0, 1023);
    assertTrue(ServedTicket.verify(PUBLIC, "p1", "127.0.0.3", FILE, part));
  }

  @Test
  void anyChangeToTheTicketMakesItWorthless() {
    ServedPart part =
        ServedTicket.parse(
                ServedTicket.header(KEY, "p1", "127.0.0.3", FILE, 0, 1023, 1_700_000_000L))
            .part(0, 1023);
    assertFalse(ServedTicket.verify(PUBLIC, "p1", "127.0.0.4", FILE, part), "another address");
    assertFalse(ServedTicket.verify(PUBLIC, "p2", "127.0.0.3", FILE, part), "another uploader");
    assertFalse(
        ServedTicket.verify(PUBLIC, "p1", "127.0.0.3", Sha256.of("b".repeat(64)), part),
        "another file");
    assertFalse(
        ServedTicket.verify(
            PUBLIC,
            "p1",
            "127.0.0.3",
            FILE,
            new ServedPart(0, 2047, part.issuedAt(), part.signature())),
        "a wider range");
    assertFalse(
        ServedTicket.verify(PeerKey.generate().publicKey(), "p1", "127.0.0.3", FILE, part),
        "another key");
    assertFalse(ServedTicket.verify("not a key", "p1", "127.0.0.3", FILE, part), "no key");
  }

  @Test
  void receiptsAndReportsAreTheSignersOwn() {
    ServedPart part =
        ServedTicket.parse(ServedTicket.header(KEY, "p1", "127.0.0.3", FILE, 0, 9, 5)).part(0, 9);
    PeerKey downloader = PeerKey.generate();
    Receipt receipt = Receipt.signed(downloader, "p2", "p1", FILE, List.of(part));
    assertTrue(receipt.verifies("p2", downloader.publicKey()));
    assertFalse(receipt.verifies("p3", downloader.publicKey()), "in another's name");
    assertFalse(receipt.verifies("p2", KEY.publicKey()), "with another key");
    Receipt widened =
        new Receipt(
            "p1", FILE, List.of(new ServedPart(0, 99, 5, part.signature())), receipt.signature());
    assertFalse(widened.verifies("p2", downloader.publicKey()), "a changed part");

    ServedPart chunk =
        ServedTicket.parse(ServedTicket.header(KEY, "p1", "127.0.0.3", FILE, 0, 9, 5, DIGEST))
            .part(0, 9);
    String chunks = TransferReport.encodeChunks(new byte[32]);
    TransferReport report =
        TransferReport.signed(downloader, "p2", "p1", FILE, TransferReport.CORRUPT, chunk, chunks);
    assertTrue(report.verifies("p2", downloader.publicKey()));
    assertFalse(report.verifies("p2", KEY.publicKey()));
    TransferReport retold =
        new TransferReport("p9", FILE, TransferReport.CORRUPT, chunk, chunks, report.signature());
    assertFalse(retold.verifies("p2", downloader.publicKey()), "against another peer");
    TransferReport otherChunks =
        new TransferReport(
            "p1",
            FILE,
            TransferReport.CORRUPT,
            chunk,
            TransferReport.encodeChunks(new byte[64]),
            report.signature());
    assertFalse(otherChunks.verifies("p2", downloader.publicKey()), "another chunk list");
  }

  private static final String DIGEST = "c".repeat(64);

  @Test
  void aWholeChunkTicketCommitsToItsDigest() {
    ServedPart part =
        ServedTicket.parse(ServedTicket.header(KEY, "p1", "127.0.0.3", FILE, 0, 9, 5, DIGEST))
            .part(0, 9);
    assertEquals(DIGEST, part.digest());
    assertTrue(ServedTicket.verify(PUBLIC, "p1", "127.0.0.3", FILE, part));
    ServedPart otherDigest = new ServedPart(0, 9, 5, part.signature(), "d".repeat(64));
    assertFalse(ServedTicket.verify(PUBLIC, "p1", "127.0.0.3", FILE, otherDigest));
    ServedPart noDigest = new ServedPart(0, 9, 5, part.signature());
    assertFalse(ServedTicket.verify(PUBLIC, "p1", "127.0.0.3", FILE, noDigest));
  }

  @Test
  void aCorruptReportNeedsAWholeChunkTicketAndAChunkList() {
    ServedPart plain =
        ServedTicket.parse(ServedTicket.header(KEY, "p1", "127.0.0.3", FILE, 0, 9, 5)).part(0, 9);
    ServedPart chunk = new ServedPart(0, 9, 5, plain.signature(), DIGEST);
    String sig = plain.signature();
    String one = TransferReport.encodeChunks(new byte[32]);
    assertThrows(
        IllegalArgumentException.class,
        () -> new TransferReport("p1", FILE, TransferReport.CORRUPT, plain, one, sig));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TransferReport("p1", FILE, TransferReport.CORRUPT, chunk, null, sig));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TransferReport("p1", FILE, TransferReport.CORRUPT, chunk, "AAAA", sig));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TransferReport("p1", FILE, TransferReport.CORRUPT, chunk, "not base64!", sig));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TransferReport("p1", FILE, TransferReport.FAILED, null, one, sig));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new TransferReport(
                "p1",
                FILE,
                TransferReport.CORRUPT,
                chunk,
                TransferReport.encodeChunks(new byte[32 * (TransferReport.MAX_CHUNKS + 1)]),
                sig));
    assertThrows(
        IllegalArgumentException.class, () -> new ServedPart(0, 9, 5, sig, "C".repeat(64)));
  }

  @Test
  void aKeySurvivesItsStoredFormAndSignsJoins() {
    PeerKey again = PeerKey.fromBytes(KEY.privateBytes());
    assertEquals(KEY.publicKey(), again.publicKey());
    assertEquals(PeerKey.PUBLIC_KEY_CHARS, KEY.publicKey().length());
    JoinRequest join = new JoinRequest("alice", 6346, 0).signed(again, "p1", 1_700_000_000_000L);
    assertTrue(join.proofVerifies("p1", KEY.publicKey()));
    assertFalse(join.proofVerifies("p2", KEY.publicKey()), "as another identity");
    assertFalse(join.proofVerifies("p1", PeerKey.generate().publicKey()), "another key");
    JoinRequest altered =
        new JoinRequest("alice", 6347, 0, join.key(), join.proof()); // another port
    assertFalse(altered.proofVerifies("p1", KEY.publicKey()));
    assertThrows(IllegalArgumentException.class, () -> PeerKey.fromBytes(new byte[] {3, 1, 2}));
  }

  @Test
  void malformedHeadersAreRefusedWithAReason() {
    assertThrows(IllegalArgumentException.class, () -> ServedTicket.parse(null));
    assertThrows(IllegalArgumentException.class, () -> ServedTicket.parse("v3;p1;5;;abc"));
    assertThrows(
        IllegalArgumentException.class, () -> ServedTicket.parse("v2;p1;5;" + "A".repeat(86)));
    assertThrows(
        IllegalArgumentException.class, () -> ServedTicket.parse("v3;p1;5;xyz;" + "A".repeat(86)));
    assertThrows(
        IllegalArgumentException.class, () -> ServedTicket.parse("v3;p1;x;;" + "A".repeat(86)));
    assertThrows(
        IllegalArgumentException.class, () -> ServedTicket.parse("v1;p1;5;" + "a".repeat(22)));
    assertThrows(IllegalArgumentException.class, () -> new ServedPart(10, 9, 5, "A".repeat(86)));
    assertThrows(IllegalArgumentException.class, () -> new ServedPart(0, 9, 5, "a".repeat(22)));
  }
}
