package dev.swarmdex.peer.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PushReceiverTest {
  /**
   * Each call on a fresh client: the receiver closes a connection after refusing a body it did not
   * read, and a shared client could reuse that connection for the next call before it sees the
   * close (an EOF instead of an answer).
   */
  private int post(String url, byte[] body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void takesExactlyTheExpectedBytesOnceUnderItsId() throws Exception {
    try (PushReceiver receiver = PushReceiver.start(InetAddress.getLoopbackAddress())) {
      PushReceiver.Awaited awaited = receiver.expect(4);
      String unknown = awaited.callback().replace(awaited.id(), "f".repeat(32));
      assertEquals(404, post(unknown, new byte[4]));

      assertEquals(200, post(awaited.callback(), new byte[] {1, 2, 3, 4}));
      assertArrayEquals(new byte[] {1, 2, 3, 4}, awaited.bytes().get(5, TimeUnit.SECONDS));
      assertEquals(404, post(awaited.callback(), new byte[4]), "an id is used once");
    }
  }

  @Test
  void refusesAWrongLength() throws Exception {
    try (PushReceiver receiver = PushReceiver.start(InetAddress.getLoopbackAddress())) {
      PushReceiver.Awaited awaited = receiver.expect(4);
      assertEquals(400, post(awaited.callback(), new byte[5]));
      assertThrows(ExecutionException.class, () -> awaited.bytes().get(5, TimeUnit.SECONDS));
    }
  }
}
