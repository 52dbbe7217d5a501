package dev.swarmdex.peer.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmdex.peer.share.Share;
import dev.swarmdex.peer.share.ShareScanner;
import dev.swarmdex.protocol.ChunkList;
import dev.swarmdex.protocol.HashTree;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.SharedFile;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkListRouteTest {
  @TempDir Path dir;

  @Test
  void servesTheChunkDigestsOfASharedFileAndNothingElse() throws Exception {
    Path root = Files.createDirectories(dir.resolve("share"));
    byte[] content = new byte[HashTree.CHUNK_SIZE * 2 + 5];
    new Random(4).nextBytes(content);
    Files.write(root.resolve("big.bin"), content);
    Share share = new ShareScanner(root, dir.resolve("state/hashes.json")).scan();
    SharedFile file = share.files().get(0);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (FileServer server =
        FileServer.start(
            InetAddress.getLoopbackAddress(),
            0,
            new FileHandler(() -> share, () -> null, () -> {}))) {
      HttpResponse<byte[]> ok = get(client, server, "/files/" + file.sha256() + "/chunks");
      assertEquals(200, ok.statusCode());
      ChunkList list = Json.read(ok.body(), ChunkList.class);
      assertEquals(content.length, list.size());
      assertEquals(3, list.chunks().size());
      assertEquals(file.treeRoot(), list.root());

      assertEquals(404, get(client, server, "/files/" + "0".repeat(64) + "/chunks").statusCode());
      assertEquals(400, get(client, server, "/files/nothex/chunks").statusCode());
    }
  }

  private static HttpResponse<byte[]> get(HttpClient client, FileServer server, String path)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(server.uri().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
