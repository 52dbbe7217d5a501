package dev.swarmdex.system;

import dev.swarmdex.peer.PeerAgentMain;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A peer agent in a JVM of its own ({@code PeerAgentMain share}), as a user runs it, so that a test
 * can kill it the hard way: {@link #kill()} is SIGKILL on Linux, and the kernel closes its sockets.
 *
 * <pre>{@code
 * try (AgentProcess agent = AgentProcess.start(server, share, state, "127.0.0.5")) {
 *   String peer = agent.peerId();
 *   agent.kill();
 * }
 * }</pre>
 */
final class AgentProcess implements AutoCloseable {
  private static final Pattern PEER = Pattern.compile("as peer (\\w+)");

  private final Process process;
  private final String peerId;

  private AgentProcess(Process process, String peerId) {
    this.process = process;
    this.peerId = peerId;
  }

  /** Starts an agent sharing {@code share} from {@code bind}; returns once it has joined. */
  static AgentProcess start(URI server, Path share, Path state, String bind)
      throws IOException, InterruptedException {
    Files.createDirectories(state);
    Path out = state.resolve("out.log");
    Path log = state.resolve("agent.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx64m",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    classpath,
                    PeerAgentMain.class.getName(),
                    "share",
                    "--server",
                    server.toString(),
                    "--dir",
                    share.toString(),
                    "--bind",
                    bind,
                    "--state",
                    state.toString(),
                    "--ui-port",
                    "0"))
            .redirectOutput(out.toFile())
            .redirectError(log.toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Matcher joined = PEER.matcher(Files.readString(out, StandardCharsets.UTF_8));
      if (joined.find()) {
        return new AgentProcess(process, joined.group(1));
      }
      if (!process.isAlive()) {
        throw new IOException("the agent exited:\n" + Files.readString(log));
      }
      Thread.sleep(50);
    }
    process.destroyForcibly().waitFor();
    throw new IOException("the agent did not join within 60 s:\n" + Files.readString(log));
  }

  String peerId() {
    return peerId;
  }

  /** SIGKILL: the process ends at once, leaving nothing and closing nothing itself. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
