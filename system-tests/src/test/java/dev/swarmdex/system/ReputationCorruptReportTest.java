package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Evidence;
import dev.swarmdex.protocol.EvidenceResult;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.ReputationFactor;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.ServedTicket;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.TransferReport;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupt reports against a real index server and real peer agents on 127.0.0.x: a report whose
 * proof is the uploader's ticket for bytes that match the published hash tree lowers nobody, while
 * a peer that really serves bad bytes is still reported by a real download.
 */
class ReputationCorruptReportTest {
  static final int MIB = HashTree.CHUNK_SIZE;

  @TempDir Path root;

  @Test
  void aCorruptReportForGoodBytesIsRefusedAndLowersNobody() throws Exception {
    try (Network network = new Network(root)) {
      network.startServer();
      Path file = Network.writeFile(root.resolve("share-2"), "honest.bin", 2 * MIB + 12_345);
      byte[] content = Files.readAllBytes(file);
      Sha256 sha = Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(content));
      PeerAgent uploader = network.startAgent(2, root.resolve("share-2"));
      ApiClient index = network.clientAt(1);
      assertTrue(eventually(Duration.ofSeconds(20), () -> shared(index, sha)), "published");
      Credentials honest = uploader.credentials().orElseThrow();

      // The attacker, a real peer with its own key at 127.0.0.3, fetches chunk 1 and keeps the
      // uploader's genuine ticket from the response.
      ApiClient attackerApi = network.clientAt(3);
      Credentials attacker =
          attackerApi.join(new JoinRequest("attacker", 6346, 0), null).credentials();
      ServedPart ticket = fetchTicket(uploader.fileServerUri(), 3, sha, MIB, 2L * MIB - 1);
      assertNotNull(ticket.digest(), "a whole-chunk ticket commits to the digest of its bytes");

      // ... and files a corrupt report with it and the genuine chunk list.
      TransferReport lie =
          TransferReport.signed(
              attackerApi.key(),
              attacker.peerId(),
              honest.peerId(),
              sha,
              TransferReport.CORRUPT,
              ticket,
              TransferReport.encodeChunks(chunkDigests(content)));
      EvidenceResult result =
          attackerApi.submitEvidence(attacker, new Evidence(List.of(), List.of(lie)));

      assertEquals(0, result.accepted(), result.toString());
      assertEquals(
          List.of(
              "reports[0]: the uploader's ticket shows bytes that match the published hash tree"),
          result.problems());
      ReputationFactor reports = reportsFactor(network.clientAt(2), honest);
      assertEquals(0, reports.points(), reports.toString());
      assertTrue(reports.why().startsWith("0 "), reports.why());
    }
  }

  @Test
  void aPeerServingBadBytesIsStillReportedByARealDownload() throws Exception {
    try (Network network = new Network(root)) {
      network.startServer();
      Path file = Network.writeFile(root.resolve("share-5"), "liar.bin", 2 * MIB + 777);
      Sha256 sha =
          Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
      PeerAgent liar = network.startAgent(5, root.resolve("share-5"));
      ApiClient index = network.clientAt(1);
      assertTrue(eventually(Duration.ofSeconds(20), () -> shared(index, sha)), "published");
      // Its bytes change after it hashed them; size and time stay, so it never rehashes and still
      // publishes the honest content id and tree root, and signs the digest of what it sends.
      FileTime modified = Files.getLastModifiedTime(file);
      byte[] corrupt = Files.readAllBytes(file);
      for (int i = 0; i < corrupt.length; i += 4096) {
        corrupt[i] ^= 0x5a;
      }
      Files.write(file, corrupt);
      Files.setLastModifiedTime(file, modified);

      PeerAgent downloader = network.startAgent(6, Files.createDirectories(root.resolve("s6")));
      assertTrue(eventually(Duration.ofSeconds(20), downloader::isJoined), "downloader joined");
      // The liar is the only source: once it is dropped for bad bytes, the download looks for
      // others for its patience (2 s here) and then gives up.
      assertThrows(
          Exception.class,
          () ->
              downloader.download(sha, root.resolve("got/liar.bin"), Duration.ofSeconds(2), null));

      Credentials liarId = liar.credentials().orElseThrow();
      ApiClient liarApi = network.clientAt(5);
      assertTrue(
          eventually(
              Duration.ofSeconds(20),
              () -> {
                downloader.sendEvidenceNow();
                return reportsFactor(liarApi, liarId).why().startsWith("1 ");
              }),
          "the download's corrupt report was admitted: " + reportsFactor(liarApi, liarId));
      assertTrue(reportsFactor(liarApi, liarId).points() <= 0);
    }
  }

  private static boolean shared(ApiClient index, Sha256 sha) {
    try {
      return !index.locate(sha).sources().isEmpty();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static ReputationFactor reportsFactor(ApiClient api, Credentials peer) {
    return api.reputationReport(peer).factors().stream()
        .filter(f -> f.name().equals("reports"))
        .findFirst()
        .orElseThrow();
  }

  private static byte[] chunkDigests(byte[] content) throws Exception {
    int count = HashTree.chunkCount(content.length);
    byte[] all = new byte[count * 32];
    for (int i = 0; i < count; i++) {
      int from = i * MIB;
      byte[] chunk = Arrays.copyOfRange(content, from, Math.min(content.length, from + MIB));
      System.arraycopy(MessageDigest.getInstance("SHA-256").digest(chunk), 0, all, i * 32, 32);
    }
    return all;
  }

  /**
   * The uploader's ticket for bytes {@code first..last}, fetched over a plain socket from
   * 127.0.0.{@code host} (the address the ticket is bound to), as any HTTP client would.
   */
  private static ServedPart fetchTicket(URI server, int host, Sha256 sha, long first, long last)
      throws Exception {
    try (Socket socket = new Socket(server.getHost(), server.getPort(), Network.address(host), 0)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          String.format(
                  Locale.ROOT,
                  "GET /files/%s HTTP/1.1\r\nHost: %s\r\nRange: bytes=%d-%d\r\n"
                      + "Connection: close\r\n\r\n",
                  sha.hex(),
                  server.getHost(),
                  first,
                  last)
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        head.write(b);
        byte[] sofar = head.toByteArray();
        int n = sofar.length;
        if (n >= 4
            && sofar[n - 4] == '\r'
            && sofar[n - 3] == '\n'
            && sofar[n - 2] == '\r'
            && sofar[n - 1] == '\n') {
          break;
        }
      }
      String headers = head.toString(StandardCharsets.US_ASCII);
      assertTrue(headers.startsWith("HTTP/1.1 206"), headers);
      for (String line : headers.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(ServedTicket.HEADER)) {
          return ServedTicket.parse(line.substring(colon + 1).trim()).part(first, last);
        }
      }
      throw new AssertionError("no ticket in " + headers);
    }
  }
}
