package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LeanResponseReaderTest {
  private static final String BIG = "x".repeat(200_000);

  /** Answers in pieces of every size from 1 byte, so that lines and bodies span reads. */
  @ParameterizedTest
  @ValueSource(ints = {1, 7, 4096, 1 << 20})
  void answersOfEveryFramingFollowEachOtherOnOneConnection(int piece) throws IOException {
    LeanResponseReader answers =
        reader(
            piece,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n"
                + "{\"a\":1}"
                + "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                + "4;name=value\r\n{\"b\"\r\n3\r\n:2}\r\n0\r\nX-Trailer: t\r\n\r\n"
                + "HTTP/1.1 404 Not Found\nContent-Length: 2\n\n{}"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(BIG.length())
                + "\r\n"
                + BIG
                + "\r\n0\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: "
                + BIG.length()
                + "\r\n\r\n"
                + BIG);

    assertAnswer(answers, 200, "{\"a\":1}");
    assertAnswer(answers, 200, "{\"b\":2}");
    assertAnswer(answers, 404, "{}");
    assertAnswer(answers, 200, BIG);
    assertAnswer(answers, 200, BIG);
    assertFalse(answers.next(), "the connection ended after the last answer");
  }

  @Test
  void connectionCloseAndHttp10EndTheConnection() throws IOException {
    LeanResponseReader answers =
        reader(
            64,
            "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na"
                + "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nb"
                + "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nc");

    assertTrue(answers.next());
    assertFalse(answers.keepAlive(), "Connection: close");
    assertTrue(answers.next());
    assertFalse(answers.keepAlive(), "HTTP/1.0 without keep-alive");
    assertTrue(answers.next());
    assertTrue(answers.keepAlive(), "HTTP/1.0 with keep-alive");
  }

  @Test
  void theBodyStartIsComparedAndShown() throws IOException {
    LeanResponseReader answers =
        reader(64, "HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n{\"results\":[{}]}\n");

    assertTrue(answers.next());
    assertTrue(answers.bodyStartsWith(bytes("{\"results\":[{")));
    assertFalse(answers.bodyStartsWith(bytes("{\"results\":[]")));
    assertFalse(answers.bodyStartsWith(bytes("{\"results\":[{}]}\n and more")));
    assertEquals("{\"res", answers.bodyText(5));
  }

  @Test
  void theEndOfTheConnectionWithinAnAnswerIsAnError() {
    assertThrows(
        EOFException.class,
        () -> reader(64, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc").next());
    assertThrows(
        EOFException.class,
        () -> reader(64, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab").next());
    assertThrows(EOFException.class, () -> reader(64, "HTTP/1.1 200 OK\r\nContent-").next());
  }

  @Test
  void headsAndBodiesOverTheLimitsAreRefused() {
    String longHeader = "X-Padding: " + "p".repeat(LeanResponseReader.MAX_HEAD_BYTES) + "\r\n";
    ProtocolException head =
        assertThrows(
            ProtocolException.class,
            () -> reader(4096, "HTTP/1.1 200 OK\r\n" + longHeader + "\r\n").next());
    assertTrue(head.getMessage().contains("16384 bytes"), head.getMessage());

    String manyHeaders = "X-Padding: 0123456789\r\n".repeat(1000);
    assertThrows(
        ProtocolException.class,
        () -> reader(4096, "HTTP/1.1 200 OK\r\n" + manyHeaders + "\r\n").next());

    ProtocolException body =
        assertThrows(
            ProtocolException.class,
            () -> reader(64, "HTTP/1.1 200 OK\r\nContent-Length: 16777217\r\n\r\n").next());
    assertTrue(body.getMessage().contains("16777216 bytes"), body.getMessage());
    assertThrows(
        ProtocolException.class,
        () ->
            reader(
                    64,
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "800000\r\n"
                        + "x".repeat(0x800000)
                        + "\r\n800001\r\n")
                .next(),
        "8 MiB then 8 MiB and a byte in a second chunk");
  }

  @Test
  void whatIsNotHttpIsRefused() {
    assertThrows(ProtocolException.class, () -> reader(64, "SSH-2.0-OpenSSH_9.6\r\n\r\n").next());
    assertThrows(ProtocolException.class, () -> reader(64, "HTTP/1.1 2x0 OK\r\n\r\n").next());
    assertThrows(
        ProtocolException.class,
        () -> reader(64, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n folded\r\n\r\na").next());
    assertThrows(
        ProtocolException.class,
        () ->
            reader(64, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\na")
                .next());
    assertThrows(
        ProtocolException.class,
        () -> reader(64, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n").next());
    assertThrows(
        ProtocolException.class,
        () -> reader(64, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").next());
    assertThrows(ProtocolException.class, () -> reader(64, "HTTP/1.1 200 OK\r\n\r\nbody").next());
  }

  private static void assertAnswer(LeanResponseReader answers, int status, String body)
      throws IOException {
    assertTrue(answers.next());
    assertEquals(status, answers.status());
    assertTrue(answers.keepAlive());
    assertEquals(body, answers.bodyText(Integer.MAX_VALUE));
  }

  private static LeanResponseReader reader(int piece, String bytes) {
    return new LeanResponseReader(new Trickle(bytes(bytes), piece));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Bytes handed out at most {@code piece} at a time, as a socket may. */
  private static final class Trickle extends InputStream {
    private final ByteArrayInputStream in;
    private final int piece;

    Trickle(byte[] bytes, int piece) {
      this.in = new ByteArrayInputStream(bytes);
      this.piece = piece;
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in.read(b, off, Math.min(len, piece));
    }
  }
}
