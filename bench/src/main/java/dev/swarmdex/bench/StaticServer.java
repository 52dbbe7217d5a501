package dev.swarmdex.bench;

import java.net.InetAddress;
import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * A bare Jetty {@link ResourceHandler} serving one folder, with Jetty's defaults: the reference for
 * the {@code transfer} benchmark that tells what the peer agent's own serving path (upload gate,
 * pacing wrapper, file checks) costs next to the same Jetty alone. Runs until the process is
 * stopped.
 *
 * <pre>
 * java -jar swarmdex-bench.jar serve-static --bind 127.0.0.1 --port 8081 --dir /tmp/files \
 *     --file-mapping false
 * </pre>
 */
final class StaticServer {
  private StaticServer() {}

  /**
   * Starts the server and returns it; {@link Server#stop()} ends it. With {@code fileMapping}
   * (Jetty's default) large files are sent from memory-mapped buffers; without it they are read
   * into pooled buffers, as the peer agent's {@code FileHandler} does.
   */
  static Server start(InetAddress bind, int port, Path dir, boolean fileMapping) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(bind.getHostAddress());
    connector.setPort(port);
    server.addConnector(connector);
    ResourceHandler files = new ResourceHandler();
    files.setBaseResource(ResourceFactory.of(server).newResource(dir));
    files.setDirAllowed(false);
    files.setUseFileMapping(fileMapping);
    server.setHandler(files);
    server.start();
    return server;
  }
}
