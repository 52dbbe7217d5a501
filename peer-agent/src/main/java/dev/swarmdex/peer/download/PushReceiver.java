package dev.swarmdex.peer.download;

import dev.swarmdex.peer.serve.FileServer;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A downloader's listener for pushes: firewalled peers, asked through their directory, connect to
 * it and {@code POST /push/{id}} the bytes of one expected range. Only an id it handed out, once,
 * with exactly the expected number of bytes, is taken; anything else is refused.
 */
final class PushReceiver extends Handler.Abstract implements AutoCloseable {
  private static final String PATH = "/push/";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One expected delivery: where to send it, and the bytes once they came. */
  record Awaited(String id, String callback, CompletableFuture<byte[]> bytes) {}

  private record Expected(int length, CompletableFuture<byte[]> bytes) {}

  private final Map<String, Expected> expected = new ConcurrentHashMap<>();
  private FileServer server;

  private PushReceiver() {}

  /** Listens on {@code bind}, a port the system picks. */
  static PushReceiver start(InetAddress bind) throws IOException {
    PushReceiver receiver = new PushReceiver();
    receiver.server = FileServer.start(bind, 0, receiver);
    return receiver;
  }

  /** Expects one delivery of {@code length} bytes; {@link #forget} it when done waiting. */
  Awaited expect(int length) {
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    String id = HexFormat.of().formatHex(random);
    CompletableFuture<byte[]> bytes = new CompletableFuture<>();
    expected.put(id, new Expected(length, bytes));
    String base = server.uri().toString();
    String callback =
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PATH + id;
    return new Awaited(id, callback, bytes);
  }

  void forget(String id) {
    expected.remove(id);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.startsWith(PATH) || !"POST".equals(request.getMethod())) {
      return answer(response, callback, 404, "no such route");
    }
    Expected delivery = expected.remove(path.substring(PATH.length()));
    if (delivery == null) {
      return answer(response, callback, 404, "no push is expected under this id");
    }
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(delivery.length() + 1);
    } catch (IOException | RuntimeException e) {
      delivery.bytes().completeExceptionally(e);
      return answer(response, callback, 400, "could not read the body");
    }
    if (body.length != delivery.length()) {
      delivery
          .bytes()
          .completeExceptionally(
              new IOException("pushed " + body.length + " bytes, not " + delivery.length()));
      return answer(response, callback, 400, "expected exactly " + delivery.length() + " bytes");
    }
    delivery.bytes().complete(body);
    return answer(response, callback, 200, null);
  }

  private static boolean answer(Response response, Callback callback, int status, String error) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    Object body =
        error == null
            ? Map.of("status", "ok")
            : new ErrorBody(error, status == 404 ? "not_found" : "bad_request");
    response.write(true, ByteBuffer.wrap(Json.write(body)), callback);
    return true;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
