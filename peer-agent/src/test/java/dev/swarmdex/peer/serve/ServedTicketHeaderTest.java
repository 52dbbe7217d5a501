package dev.swarmdex.peer.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareScanner;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.PeerKey;
import dev.swarmdex.protocol.ServedPart;
import dev.swarmdex.protocol.ServedTicket;
import dev.swarmdex.protocol.Sha256;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file server signs what it serves: a real server on 127.0.0.1, downloaders on 127.0.0.2 and
 * 127.0.0.3, and the tickets checked the way the index server checks them.
 */
class ServedTicketHeaderTest {
  private static final Credentials ME =
      new Credentials("p-uploader", "secret-token-of-the-uploader");
  private static final long NOW = 1_790_000_000L;

  @TempDir Path dir;

  private static final PeerKey KEY = PeerKey.generate();
  private final AtomicReference<Credentials> identity = new AtomicReference<>(ME);
  private FileServer server;
  private HttpClient two;
  private Sha256 sha;
  private int size;

  @BeforeEach
  void start() throws Exception {
    Path root = Files.createDirectories(dir.resolve("share"));
    byte[] content = new byte[300_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 7 + 3);
    }
    size = content.length;
    Files.write(root.resolve("song.ogg"), content);
    sha = Sha256.of(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
    Share share = new ShareScanner(root, dir.resolve("state/hashes.json")).scan();
    server =
        FileServer.start(
            InetAddress.getByName("127.0.0.1"),
            0,
            new FileHandler(() -> share, identity::get, KEY, () -> {}, () -> NOW));
    two = new HttpClient();
    two.setBindAddress(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
    two.start();
  }

  @AfterEach
  void stop() throws Exception {
    two.stop();
    server.close();
  }

  private ContentResponse get(HttpMethod method, String range) throws Exception {
    var request = two.newRequest(server.uri().resolve("/files/" + sha.hex())).method(method);
    if (range != null) {
      request.headers(h -> h.put(HttpHeader.RANGE, range));
    }
    return request.send();
  }

  private static ServedPart part(ContentResponse response, long first, long last) {
    ServedTicket.Stamp stamp = ServedTicket.parse(response.getHeaders().get(ServedTicket.HEADER));
    assertEquals(ME.peerId(), stamp.uploader());
    assertEquals(NOW, stamp.issuedAt());
    return stamp.part(first, last);
  }

  @Test
  void aRangeIsSignedForTheAddressThatFetchedIt() throws Exception {
    ContentResponse response = get(HttpMethod.GET, "bytes=1000-1999");
    assertEquals(206, response.getStatus());
    ServedPart part = part(response, 1000, 1999);
    String key = KEY.publicKey();

    assertTrue(ServedTicket.verify(key, ME.peerId(), "127.0.0.2", sha, part));
    assertFalse(
        ServedTicket.verify(key, ME.peerId(), "127.0.0.3", sha, part),
        "another address cannot hand the ticket in");
    assertFalse(
        ServedTicket.verify(PeerKey.generate().publicKey(), ME.peerId(), "127.0.0.2", sha, part),
        "only the uploader's key makes it");
    assertFalse(
        ServedTicket.verify(key, ME.peerId(), "127.0.0.2", sha, part(response, 0, 1999)),
        "it covers exactly the bytes served");
  }

  @Test
  void theWholeFileAndASuffixRangeAreSignedForTheBytesSent() throws Exception {
    String key = KEY.publicKey();
    ContentResponse whole = get(HttpMethod.GET, null);
    assertEquals(200, whole.getStatus());
    assertEquals(size, whole.getContent().length);
    assertTrue(ServedTicket.verify(key, ME.peerId(), "127.0.0.2", sha, part(whole, 0, size - 1)));

    ContentResponse tail = get(HttpMethod.GET, "bytes=-100");
    assertEquals(206, tail.getStatus());
    assertTrue(
        ServedTicket.verify(
            key, ME.peerId(), "127.0.0.2", sha, part(tail, size - 100L, size - 1L)));
  }

  @Test
  void aWholeChunkTicketCommitsToTheDigestOfTheBytesSentAndOtherRangesToNone() throws Exception {
    // The file is one chunk (under 1 MiB): the whole file is chunk 0, its digest the file's.
    ContentResponse whole = get(HttpMethod.GET, "bytes=0-" + (size - 1));
    assertEquals(sha.hex(), part(whole, 0, size - 1).digest());
    assertNull(part(get(HttpMethod.GET, "bytes=0-999"), 0, 999).digest());
    assertNull(part(get(HttpMethod.GET, "bytes=-100"), size - 100L, size - 1L).digest());
  }

  @Test
  void headErrorsAndMultipleRangesCarryNoTicket() throws Exception {
    assertEquals(200, get(HttpMethod.HEAD, null).getStatus());
    assertNull(get(HttpMethod.HEAD, null).getHeaders().get(ServedTicket.HEADER));

    ContentResponse multi = get(HttpMethod.GET, "bytes=0-9,100-109");
    assertEquals(206, multi.getStatus());
    assertTrue(multi.getHeaders().get(HttpHeader.CONTENT_TYPE).startsWith("multipart/byteranges"));
    assertNull(multi.getHeaders().get(ServedTicket.HEADER));

    ContentResponse unsatisfiable = get(HttpMethod.GET, "bytes=900000-900010");
    assertEquals(416, unsatisfiable.getStatus());
    assertNull(unsatisfiable.getHeaders().get(ServedTicket.HEADER));

    ContentResponse missing =
        two.newRequest(server.uri().resolve("/files/" + "ab".repeat(32))).send();
    assertEquals(404, missing.getStatus());
    assertNull(missing.getHeaders().get(ServedTicket.HEADER));
  }

  @Test
  void nothingIsSignedBeforeThePeerHasJoined() throws Exception {
    identity.set(null);
    ContentResponse response = get(HttpMethod.GET, "bytes=0-99");
    assertEquals(206, response.getStatus());
    assertNull(response.getHeaders().get(ServedTicket.HEADER));
  }
}
