package dev.swarmdex.peer;

import dev.swarmdex.peer.serve.FileServer;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.FileChanges;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.HeartbeatResponse;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.JoinResponse;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PublishResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A small in-memory stand-in for the directory's peer API (join, publish, heartbeat, leave) on a
 * real socket, recording calls, so the agent's session logic can be tested before the index server
 * exists. It can "restart" (forget sessions: heartbeats get 409 rejoin) and "forget identities"
 * (401).
 */
final class FakeDirectory extends Handler.Abstract implements AutoCloseable {
  final Map<String, String> tokens = new ConcurrentHashMap<>();
  final Map<String, Map<Sha256, SharedFile>> sessions = new ConcurrentHashMap<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  private final FileServer server;

  FakeDirectory() throws IOException {
    server = FileServer.start(InetAddress.getLoopbackAddress(), 0, this);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  void restart() {
    sessions.clear();
  }

  void forgetIdentities() {
    sessions.clear();
    tokens.clear();
  }

  Map<Sha256, SharedFile> files(String peerId) {
    return sessions.getOrDefault(peerId, Map.of());
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String method = request.getMethod();
    String path = Request.getPathInContext(request);
    byte[] body = Content.Source.asInputStream(request).readAllBytes();
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
    calls.add(method + " " + path);
    if (method.equals("POST") && path.equals("/api/v1/join")) {
      JoinRequest join = Json.read(body, JoinRequest.class);
      String id;
      if (token != null) {
        id =
            tokens.entrySet().stream()
                .filter(e -> e.getValue().equals(token))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
        if (id == null) {
          return send(response, callback, 401, new ErrorBody("unknown token", "unauthorized"));
        }
      } else {
        id = "p" + UUID.randomUUID().toString().substring(0, 8);
        tokens.put(id, "t" + UUID.randomUUID());
      }
      sessions.put(id, new ConcurrentHashMap<>());
      return send(
          response,
          callback,
          200,
          new JoinResponse(id, tokens.get(id), "127.0.0.1", join.port() < 1, 1));
    }
    String[] parts = path.split("/");
    if (parts.length < 5 || !path.startsWith("/api/v1/peers/")) {
      return send(response, callback, 404, new ErrorBody("no such thing", "not_found"));
    }
    String id = parts[4];
    if (token == null || !token.equals(tokens.get(id))) {
      return send(response, callback, 401, new ErrorBody("who are you", "unauthorized"));
    }
    Map<Sha256, SharedFile> files = sessions.get(id);
    if (files == null) {
      return send(response, callback, 409, new ErrorBody("join again", "rejoin"));
    }
    String rest = path.substring(("/api/v1/peers/" + id).length());
    switch (method + " " + rest) {
      case "PUT /files" -> {
        files.clear();
        Json.read(body, FileList.class).files().forEach(f -> files.put(f.sha256(), f));
        return send(response, callback, 200, new PublishResult(files.size()));
      }
      case "POST /files/changes" -> {
        FileChanges changes = Json.read(body, FileChanges.class);
        changes.removed().forEach(files::remove);
        changes.added().forEach(f -> files.put(f.sha256(), f));
        return send(response, callback, 200, new PublishResult(files.size()));
      }
      case "POST /heartbeat" -> {
        return send(response, callback, 200, new HeartbeatResponse(1));
      }
      case "DELETE " -> {
        sessions.remove(id);
        response.setStatus(204);
        callback.succeeded();
        return true;
      }
      default -> {
        return send(response, callback, 404, new ErrorBody("no such thing", "not_found"));
      }
    }
  }

  private static boolean send(Response response, Callback callback, int status, Object body) {
    response.setStatus(status);
    if (status == 401) {
      // Jetty's HttpClient treats a 401 without a challenge as a protocol violation.
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"swarmdex\"");
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(Json.write(body)), callback);
    return true;
  }

  @Override
  public void close() {
    server.close();
  }
}
