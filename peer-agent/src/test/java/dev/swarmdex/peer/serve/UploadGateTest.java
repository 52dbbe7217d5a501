package dev.swarmdex.peer.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareScanner;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PeerReputation;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate on a real server, with clients on 127.0.0.1 and 127.0.0.2. */
class UploadGateTest {
  private static final String ONE = "127.0.0.1";
  private static final String TWO = "127.0.0.2";

  @TempDir Path dir;

  private final List<FileServer> servers = new ArrayList<>();
  private Share share;
  private byte[] small;
  private String smallSha;
  private byte[] big;
  private String bigSha;

  @BeforeEach
  void share() throws Exception {
    Path root = Files.createDirectories(dir.resolve("share"));
    small = bytes(8 * 1024, 1);
    big = bytes(2 << 20, 2);
    Files.write(root.resolve("small.bin"), small);
    Files.write(root.resolve("big.bin"), big);
    smallSha = sha(small);
    bigSha = sha(big);
    share = new ShareScanner(root, dir.resolve("state/hashes.json")).scan();
  }

  @AfterEach
  void stop() {
    servers.forEach(FileServer::close);
  }

  private UploadGate gate(UploadLimits limits) {
    return new UploadGate(
        new FileHandler(() -> share, () -> null, () -> {}), limits, RequesterRanking.none());
  }

  private URI serve(UploadGate gate) throws IOException {
    FileServer server = FileServer.start(InetAddress.getByName(ONE), 0, gate);
    servers.add(server);
    return server.uri();
  }

  @Test
  void pushesOutsideTheGateShareItsGlobalRate() {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    UploadGate limited =
        new UploadGate(
            new FileHandler(() -> share, () -> null, () -> {}),
            new UploadLimits(1, 16 * 1024, 0),
            RequesterRanking.none(),
            new SlotPolicy(1, 2),
            now::get);
    assertEquals(0, limited.reserveGlobal(16 * 1024), "the burst");
    assertEquals(1_000_000_000L, limited.reserveGlobal(16 * 1024), "then a second per 16 KiB");
    assertEquals(0, gate(UploadLimits.defaults()).reserveGlobal(1 << 30), "no rate, no wait");
  }

  @Test
  void aSecondRequesterIsToldToWaitWhileTheOnlySlotIsBusyAndServedOnceTheFirstHangsUp()
      throws Exception {
    // 64 KiB/s per address: the 2 MiB download holds the one slot for half a minute.
    UploadGate gate = gate(new UploadLimits(1, 0, 64 * 1024));
    URI base = serve(gate);
    try (Socket slow = open(ONE, base)) {
      send(slow, "GET", "/files/" + bigSha);
      InputStream in = new BufferedInputStream(slow.getInputStream());
      assertEquals(200, head(in).status());
      in.readNBytes(1000);
      assertEquals(1, gate.uploadsInProgress());

      Answer busy = fetch(TWO, base, "GET", "/files/" + smallSha);
      assertEquals(503, busy.status());
      assertTrue(Integer.parseInt(busy.header("retry-after")) >= 1, busy.headers().toString());
      assertEquals("1", busy.header("x-queue-position"));
      ErrorBody error = Json.read(busy.body(), ErrorBody.class);
      assertEquals("busy", error.code());
      assertTrue(error.error().contains("number 1 in the queue"), error.error());
      // Its owner sees who uploads what, and who waits.
      UploadBoard.Upload running = gate.board().running().get(0);
      assertEquals(ONE, running.ip());
      assertEquals(bigSha, running.sha256());
      assertTrue(running.bytes() >= 1000, running.toString());
      assertEquals(List.of(TWO), gate.waiting().stream().map(UploadGate.Waiting::ip).toList());
      assertEquals(1, gate.waiting().get(0).position());

      // Only file bodies are gated.
      assertEquals(200, fetch(TWO, base, "HEAD", "/files/" + smallSha).status());
      assertEquals(200, fetch(TWO, base, "GET", "/health").status());
      assertEquals(200, fetch(TWO, base, "GET", "/files").status());
    } // the slow client hangs up mid-way

    assertTrue(eventually(() -> gate.uploadsInProgress() == 0), "the slot is released");
    Answer served = fetch(TWO, base, "GET", "/files/" + smallSha);
    assertEquals(200, served.status());
    assertArrayEquals(small, served.body());
    assertTrue(
        eventually(() -> gate.board().finished().size() == 2 && gate.board().running().isEmpty()),
        () -> gate.board().finished() + " " + gate.board().running());
    UploadBoard.Upload done = gate.board().finished().get(0);
    assertEquals(TWO, done.ip());
    assertEquals(small.length, done.bytes(), "the newest first, every byte counted");
    // A miss is no upload.
    assertEquals(404, fetch(TWO, base, "GET", "/files/" + "0".repeat(64)).status());
    assertTrue(eventually(() -> gate.board().running().isEmpty()));
    assertEquals(2, gate.board().finished().size());
  }

  @Test
  void aSlotIsFreeAgainAsSoonAsADownloadCompletes() throws Exception {
    UploadGate gate = gate(new UploadLimits(1, 0, 0));
    URI base = serve(gate);
    for (int i = 0; i < 3; i++) {
      Answer first = fetch(ONE, base, "GET", "/files/" + smallSha);
      assertEquals(200, first.status());
      assertArrayEquals(small, first.body());
      Answer second = fetch(TWO, base, "GET", "/files/" + smallSha, "Range: bytes=10-19");
      assertEquals(206, second.status());
      assertArrayEquals(Arrays.copyOfRange(small, 10, 20), second.body());
    }
    assertEquals(0, gate.uploadsInProgress());
  }

  @Test
  void aRateLimitPacesTheDownload() throws Exception {
    URI unlimited = serve(gate(UploadLimits.defaults()));
    URI limited = serve(gate(UploadLimits.defaults().withRates(1 << 20, 0)));
    fetch(ONE, unlimited, "GET", "/files/" + bigSha); // warm up

    long start = System.nanoTime();
    Answer fast = fetch(ONE, unlimited, "GET", "/files/" + bigSha);
    long fastNanos = System.nanoTime() - start;
    start = System.nanoTime();
    Answer slow = fetch(ONE, limited, "GET", "/files/" + bigSha);
    long slowNanos = System.nanoTime() - start;

    assertArrayEquals(big, fast.body());
    assertArrayEquals(big, slow.body());
    // 2 MiB at 1 MiB/s is about 2 s; unlimited on loopback is far faster. Only the ratio is
    // asserted: absolute times on a shared machine are noise.
    assertTrue(
        slowNanos > 3 * fastNanos,
        "limited " + slowNanos / 1e6 + " ms, unlimited " + fastNanos / 1e6);
  }

  @Test
  void aSlowRateSlicesWritesWithoutChangingABit() throws Exception {
    // 16 KiB/s: writes go out in 4 KiB slices; 48 KiB less the 16 KiB burst take about 2 s.
    URI base = serve(gate(UploadLimits.defaults().withRates(0, 16 * 1024)));
    Answer part = fetch(TWO, base, "GET", "/files/" + bigSha, "Range: bytes=1000-50151");
    assertEquals(206, part.status());
    assertArrayEquals(Arrays.copyOfRange(big, 1000, 50152), part.body());
  }

  @Test
  void aFreeSlotGoesToTheHigherLevelAndAClaimedIdFromAnotherAddressGainsNothing() throws Exception {
    String three = "127.0.0.3";
    String four = "127.0.0.4";
    // What the index server answers: p-low is at 127.0.0.2, p-high at 127.0.0.3.
    Map<String, PeerReputation> directory =
        Map.of(
            "p-low", new PeerReputation("p-low", 100, TWO),
            "p-high", new PeerReputation("p-high", 800, three));
    try (ReputationLookup lookup =
        new ReputationLookup(
            id -> {
              PeerReputation known = directory.get(id);
              if (known == null) {
                throw new ApiException(404, "not_found", "no such peer", 0);
              }
              return known;
            },
            System::nanoTime)) {
      assertEquals(0, lookup.reputation(TWO, "p-low"), "unknown until the lookup answers");
      lookup.reputation(three, "p-high");
      assertTrue(eventually(() -> lookup.knows("p-low") && lookup.knows("p-high")));

      UploadGate gate =
          new UploadGate(
              new FileHandler(() -> share, () -> null, () -> {}),
              new UploadLimits(1, 0, 64 * 1024),
              lookup);
      URI base = serve(gate);
      String file = "/files/" + bigSha;
      try (Socket slow = open(ONE, base)) {
        send(slow, "GET", file);
        InputStream in = new BufferedInputStream(slow.getInputStream());
        assertEquals(200, head(in).status());
        in.readNBytes(1000);

        Answer low = fetch(TWO, base, "GET", file, "X-Swarmdex-Peer: p-low");
        assertEquals(503, low.status());
        assertEquals("1", low.header("x-queue-position"));
        Answer high = fetch(three, base, "GET", file, "X-Swarmdex-Peer: p-high");
        assertEquals("1", high.header("x-queue-position"), "the higher level goes ahead");
        assertEquals(
            "2",
            fetch(TWO, base, "GET", file, "X-Swarmdex-Peer: p-low").header("x-queue-position"));
        Answer impostor = fetch(four, base, "GET", file, "X-Swarmdex-Peer: p-high");
        assertEquals(
            "3", impostor.header("x-queue-position"), "p-high's level is not for 127.0.0.4");
      } // the holder hangs up

      assertTrue(eventually(() -> gate.uploadsInProgress() == 0), "the slot is released");
      assertEquals(
          503,
          fetch(TWO, base, "GET", "/files/" + smallSha, "X-Swarmdex-Peer: p-low").status(),
          "the free slot waits for the higher level");
      Answer served = fetch(three, base, "GET", "/files/" + smallSha, "X-Swarmdex-Peer: p-high");
      assertEquals(200, served.status());
      assertArrayEquals(small, served.body());
    }
  }

  // ---- a minimal HTTP/1.1 client that can choose its address ----

  record Answer(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  static Socket open(String from, URI base) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
    socket.setSoTimeout(30_000);
    return socket;
  }

  static void send(Socket socket, String method, String path, String... headers)
      throws IOException {
    StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    request.append("Host: peer\r\nConnection: close\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    socket
        .getOutputStream()
        .write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** Reads the status line and headers. */
  static Answer head(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in the headers");
      }
      bytes.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = bytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return new Answer(status, headers, new byte[0]);
  }

  static Answer fetch(String from, URI base, String method, String path, String... headers)
      throws IOException {
    try (Socket socket = open(from, base)) {
      send(socket, method, path, headers);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      Answer head = head(in);
      byte[] body = method.equals("HEAD") ? new byte[0] : in.readAllBytes();
      return new Answer(head.status(), head.headers(), body);
    }
  }

  static boolean eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }

  private static byte[] bytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String sha(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
