package dev.swarmdex.bench;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.content.ResourceHttpContent;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ResourceService;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * A bare Jetty serving one folder, the reference for the {@code transfer} benchmark: the same Jetty
 * as the peer agent with nothing of the agent around it (no upload gate, no pacing wrapper, no file
 * checks), so that the figures tell what each way of sending a file costs. Runs until the process
 * is stopped.
 *
 * <ul>
 *   <li>{@link Content#MAPPED}: {@link ResourceHandler} with Jetty's defaults (large files are sent
 *       from memory-mapped buffers);
 *   <li>{@link Content#POOLED}: {@link ResourceHandler} with file mapping off (the file is read
 *       into the server's pooled direct buffers of the output buffer size);
 *   <li>{@link Content#PLAIN}: {@link ResourceService} given {@code new
 *       ResourceHttpContent(resource, type)} for each request, as the peer agent's {@code
 *       FileHandler} does (no buffer pool given, so Jetty reads into unpooled heap buffers of its
 *       default size);
 *   <li>{@link Content#PLAIN_SIZED}: the same with the server's buffer pool, direct buffers of the
 *       output buffer size.
 * </ul>
 *
 * <pre>
 * java -jar swarmdex-bench.jar serve-static --bind 127.0.0.1 --port 8081 --dir /tmp/files \
 *     --content plain
 * </pre>
 */
final class StaticServer {
  /** How the file's bytes reach the connection. */
  enum Content {
    MAPPED,
    POOLED,
    PLAIN,
    PLAIN_SIZED;

    static Content parse(String text) {
      return switch (text) {
        case "mapped" -> MAPPED;
        case "pooled" -> POOLED;
        case "plain" -> PLAIN;
        case "plain-sized" -> PLAIN_SIZED;
        default ->
            throw new IllegalArgumentException(
                "--content must be mapped, pooled, plain or plain-sized, not " + text);
      };
    }
  }

  private StaticServer() {}

  /** Starts the server and returns it; {@link Server#stop()} ends it. */
  static Server start(InetAddress bind, int port, Path dir, Content content) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(bind.getHostAddress());
    connector.setPort(port);
    server.addConnector(connector);
    Path root = dir.toRealPath();
    switch (content) {
      case MAPPED, POOLED -> {
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(server).newResource(root));
        files.setDirAllowed(false);
        files.setUseFileMapping(content == Content.MAPPED);
        server.setHandler(files);
      }
      case PLAIN, PLAIN_SIZED ->
          server.setHandler(new PlainFiles(root, content == Content.PLAIN_SIZED));
    }
    server.start();
    return server;
  }

  /** {@code GET /NAME}: the file NAME of the folder, through a {@link ResourceService}. */
  private static final class PlainFiles extends Handler.Abstract {
    private final ResourceService resources = new ResourceService();
    private final Path root;
    private final boolean sized;

    PlainFiles(Path root, boolean sized) {
      this.root = root;
      this.sized = sized;
      resources.setHttpContentFactory(path -> null);
      resources.setAcceptRanges(true);
      resources.setDirAllowed(false);
      addBean(resources);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      Path file = root.resolve(path.substring(1)).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
        return true;
      }
      var resource = ResourceFactory.root().newResource(file);
      String type = "application/octet-stream";
      ResourceHttpContent content;
      if (sized) {
        int size = new HttpConfiguration().getOutputBufferSize();
        ByteBufferPool pool = request.getComponents().getByteBufferPool();
        content =
            new ResourceHttpContent(resource, type, new ByteBufferPool.Sized(pool, true, size));
      } else {
        content = new ResourceHttpContent(resource, type);
      }
      resources.doGet(request, response, callback, content);
      return true;
    }
  }
}
