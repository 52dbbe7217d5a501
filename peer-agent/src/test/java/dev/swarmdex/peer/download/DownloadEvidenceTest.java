package dev.swarmdex.peer.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.peer.serve.FileHandler;
import dev.swarmdex.peer.serve.FileServer;
import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareScanner;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.ServedTicket;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import dev.swarmdex.protocol.TransferReport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a downloader with an identity hands in about its transfers: uploaders on 127.0.0.1 sign what
 * they serve, the downloader fetches from 127.0.0.2, and every ticket is checked as the index
 * server checks it.
 */
class DownloadEvidenceTest {
  private static final int SIZE = 3 * HashTree.CHUNK_SIZE + 5;
  private static final String DOWNLOADER_IP = "127.0.0.2";
  private static final Credentials GOOD = new Credentials("p-good", "token-of-the-good-peer");
  private static final Credentials LIAR = new Credentials("p-liar", "token-of-the-lying-peer");
  private static final Map<Credentials, PeerKey> KEYS =
      Map.of(GOOD, PeerKey.generate(), LIAR, PeerKey.generate());

  @TempDir Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();
  private final Collected evidence = new Collected();
  private byte[] content;
  private Sha256 sha;
  private Share scanned;
  private Downloader downloader;

  /** A report as the downloader made it (the agent signs it when it sends it). */
  record Reported(String peer, Sha256 sha256, String kind, ServedPart proof, String chunks) {}

  /** The evidence as the downloader handed it over. */
  static final class Collected implements EvidenceSink {
    final List<String> uploaders = new CopyOnWriteArrayList<>();
    final List<ServedPart> parts = new CopyOnWriteArrayList<>();
    final List<Reported> reports = new CopyOnWriteArrayList<>();
    final List<Sha256> ended = new CopyOnWriteArrayList<>();

    @Override
    public void served(String uploader, Sha256 sha256, ServedPart part) {
      uploaders.add(uploader);
      parts.add(part);
    }

    @Override
    public void reported(String peer, Sha256 sha256, String kind, ServedPart proof, String chunks) {
      reports.add(new Reported(peer, sha256, kind, proof, chunks));
    }

    @Override
    public void downloadEnded(Sha256 sha256) {
      ended.add(sha256);
    }
  }

  /** Remembers the peer id each downloader named. */
  static final class Naming extends Handler.Wrapper {
    final List<String> named = new CopyOnWriteArrayList<>();

    Naming(Handler handler) {
      super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String peer = request.getHeaders().get(ServedTicket.PEER_HEADER);
      named.add(peer == null ? "nobody" : peer);
      return super.handle(request, response, callback);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    content = new byte[SIZE];
    new Random(7).nextBytes(content);
    sha = Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(content));
    Path share = Files.createDirectories(dir.resolve("share"));
    Files.write(share.resolve("data.bin"), content);
    scanned = new ShareScanner(share, dir.resolve("state/hashes.json")).scan();
    downloader =
        Downloader.create(
            InetAddress.getByName(DOWNLOADER_IP), new Identity(() -> "p-me", evidence));
    open.add(downloader);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
  }

  private FileServer serve(Handler handler) throws IOException {
    FileServer server = FileServer.start(InetAddress.getByName("127.0.0.1"), 0, handler);
    open.add(server);
    return server;
  }

  private Handler signedBy(Credentials uploader) {
    return new FileHandler(() -> scanned, () -> uploader, KEYS.get(uploader), () -> {});
  }

  private Source source(String peer, FileServer server) {
    return new Source(
        peer, "127.0.0.1", server.port(), Source.url("127.0.0.1", server.port(), sha), false);
  }

  private SearchResult located(Sha256 treeRoot, Source... sources) {
    return new SearchResult("data.bin", SIZE, sha, FileType.OTHER, List.of(sources), treeRoot);
  }

  private List<Sha256> chunkDigests() {
    List<Sha256> digests = new java.util.ArrayList<>();
    for (int at = 0; at < content.length; at += HashTree.CHUNK_SIZE) {
      digests.add(
          Sha256.ofDigest(
              HashTree.newDigest()
                  .digest(
                      java.util.Arrays.copyOfRange(
                          content, at, Math.min(content.length, at + HashTree.CHUNK_SIZE)))));
    }
    return digests;
  }

  private Sha256 treeRoot() {
    return scanned.files().get(0).treeRoot();
  }

  private boolean genuine(Credentials uploader, ServedPart part) {
    return ServedTicket.verify(
        KEYS.get(uploader).publicKey(), uploader.peerId(), DOWNLOADER_IP, sha, part);
  }

  /** The first byte of each part, in order. */
  private static TreeSet<Long> starts(List<ServedPart> parts) {
    TreeSet<Long> starts = new TreeSet<>();
    parts.forEach(p -> starts.add(p.first()));
    return starts;
  }

  @Test
  void everyVerifiedChunkBecomesAGenuineReceiptPartAndTheDownloaderNamesItself() throws Exception {
    Naming good = new Naming(signedBy(GOOD));
    Path out = dir.resolve("out/data.bin");

    downloader.fetch(located(treeRoot(), source(GOOD.peerId(), serve(good))), out);

    assertArrayEquals(content, Files.readAllBytes(out));
    assertEquals(4, evidence.parts.size(), evidence.parts.toString());
    assertEquals(new TreeSet<>(List.of(0L, 1L << 20, 2L << 20, 3L << 20)), starts(evidence.parts));
    for (ServedPart part : evidence.parts) {
      assertTrue(genuine(GOOD, part), "a ticket the index server accepts: " + part);
    }
    assertEquals(List.of(GOOD.peerId()), evidence.uploaders.stream().distinct().toList());
    assertTrue(evidence.reports.isEmpty(), evidence.reports.toString());
    assertEquals(List.of(sha), evidence.ended);
    assertTrue(good.named.contains("p-me"), good.named.toString());
    assertTrue(good.named.stream().allMatch("p-me"::equals), good.named.toString());
  }

  @Test
  void badBytesBecomeACorruptReportWithTheLiarsOwnTicket() throws Exception {
    Source liar = source(LIAR.peerId(), serve(new DownloaderTest.Corrupting(signedBy(LIAR))));
    Source good = source(GOOD.peerId(), serve(signedBy(GOOD)));

    downloader.fetch(located(treeRoot(), liar, good), dir.resolve("data.bin"));

    assertEquals(1, evidence.reports.size(), evidence.reports.toString());
    Reported report = evidence.reports.get(0);
    assertEquals(LIAR.peerId(), report.peer());
    assertEquals(TransferReport.CORRUPT, report.kind());
    assertEquals(HashTree.CHUNK_SIZE - 1L, report.proof().last() - report.proof().first());
    assertTrue(genuine(LIAR, report.proof()), "the liar signed the bytes it corrupted");
    assertNotNull(report.proof().digest(), "a whole-chunk ticket commits to a digest");
    assertEquals(
        TransferReport.encodeChunks(HashTree.of(content.length, chunkDigests()).digests()),
        report.chunks(),
        "the chunk list verified against the published root");
    assertTrue(
        evidence.uploaders.stream().allMatch(GOOD.peerId()::equals),
        "no receipt for the liar: " + evidence.uploaders);
    assertEquals(4, evidence.parts.size());
  }

  @Test
  void aSourceDroppedForRefusingConnectionsIsReportedAsFailedWithoutProof() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    Source dead =
        new Source("p-dead", "127.0.0.1", port, Source.url("127.0.0.1", port, sha), false);
    Path out = dir.resolve("data.bin");

    assertThrows(DownloadException.class, () -> downloader.fetch(located(treeRoot(), dead), out));

    assertEquals(1, evidence.reports.size(), evidence.reports.toString());
    assertEquals("p-dead", evidence.reports.get(0).peer());
    assertEquals(TransferReport.FAILED, evidence.reports.get(0).kind());
    assertNull(evidence.reports.get(0).proof());
  }

  @Test
  void aTicketSignedBySomeoneElseThanTheSourceIsNotCollected() throws Exception {
    // The server signs as p-good, but the directory lists it as p-other.
    Source impostor = source("p-other", serve(signedBy(GOOD)));

    downloader.fetch(located(treeRoot(), impostor), dir.resolve("data.bin"));

    assertTrue(evidence.parts.isEmpty(), evidence.parts.toString());
  }

  @Test
  void withoutAPublishedRootReceiptsWaitForTheWholeFileToMatch() throws Exception {
    Source good = source(GOOD.peerId(), serve(signedBy(GOOD)));

    downloader.fetch(located(null, good), dir.resolve("data.bin"));

    assertEquals(4, evidence.parts.size(), evidence.parts.toString());
    assertTrue(evidence.parts.stream().allMatch(p -> genuine(GOOD, p)));
  }

  @Test
  void aDownloaderWithoutIdentityNamesNobody() throws Exception {
    Naming good = new Naming(signedBy(GOOD));
    try (Downloader anonymous = Downloader.create(InetAddress.getByName(DOWNLOADER_IP))) {
      anonymous.fetch(located(treeRoot(), source(GOOD.peerId(), serve(good))), dir.resolve("a"));
    }
    assertTrue(good.named.stream().allMatch("nobody"::equals), good.named.toString());
  }
}
