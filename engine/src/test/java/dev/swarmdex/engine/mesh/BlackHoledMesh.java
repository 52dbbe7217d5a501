package dev.swarmdex.engine.mesh;

import dev.swarmdex.engine.NoIdentities;
import dev.swarmdex.engine.catalog.Catalog;
import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.DirectorySettings;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Neighbour;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory whose mesh members (30 of them) accept connections and never answer, a black hole
 * worse than a dead host: each of its searches waits out the origin's budget. Real sockets and a
 * real catalog; no peer can join it.
 */
final class BlackHoledMesh implements AutoCloseable {

  final Catalog catalog;
  final ServerSocket hole;
  final ApiClient api;
  final Directory directory;
  final MeshNode node;

  BlackHoledMesh(Path dir) throws IOException {
    catalog = Catalog.open(dir.resolve("catalog"));
    hole = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    api = ApiClient.create(URI.create("http://127.0.0.1:1"), null);
    directory =
        new Directory(
            catalog,
            new NoIdentities(),
            (ip, port) -> true,
            Clock.systemUTC(),
            DirectorySettings.defaults());
    node = new MeshNode(directory, api, to -> new Credentials("self", "token"));
    List<Neighbour> members = new ArrayList<>();
    members.add(new Neighbour("self", "http://127.0.0.1:1"));
    for (int i = 0; i < 30; i++) {
      members.add(new Neighbour("hole" + i, "http://127.0.0.1:" + hole.getLocalPort()));
    }
    node.setMembers("self", members);
  }

  @Override
  public void close() throws IOException {
    node.close();
    api.close();
    hole.close();
    catalog.close();
  }
}
