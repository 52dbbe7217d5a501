package dev.swarmdex.system;

import dev.swarmdex.index.IndexServerMain;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An index server in a JVM of its own ({@code java -cp <the test classpath>
 * dev.swarmdex.index.IndexServerMain ...}), as an operator runs it, so that a test can kill it the
 * hard way: {@link #kill()} is SIGKILL on Linux, with no shutdown hook and no close.
 *
 * <pre>{@code
 * try (ServerProcess server = ServerProcess.start(data, null, passwordFile)) {
 *   URI api = server.uri();
 *   server.kill();
 * }
 * }</pre>
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("Swarmdex index server on (http://\\S+)");

  private final Process process;
  private final URI uri;
  private final Path log;

  private ServerProcess(Process process, URI uri, Path log) {
    this.process = process;
    this.uri = uri;
    this.log = log;
  }

  /**
   * Starts a server on 127.0.0.1 (a free port) with data folder {@code data} and the database at
   * {@code dbUrl} (null: H2 in {@code data}), passed in the environment so no password shows in the
   * process list; returns once it listens. Its output goes to {@code data/server-N.log}.
   */
  static ServerProcess start(Path data, String dbUrl, Path adminPasswordFile)
      throws IOException, InterruptedException {
    return start(data, dbUrl, adminPasswordFile, 0, 30, 120);
  }

  /** As {@link #start(Path, String, Path)} on H2, with {@code flags} added to its command line. */
  static ServerProcess start(Path data, Path adminPasswordFile, List<String> flags)
      throws IOException, InterruptedException {
    return start(data, null, adminPasswordFile, 0, 30, 120, flags);
  }

  /**
   * As {@link #start(Path, String, Path)} on {@code port} (0: a free one; a restarted server takes
   * its old one), peers beating every {@code heartbeatSeconds} and timing out after {@code
   * timeoutSeconds}.
   */
  static ServerProcess start(
      Path data,
      String dbUrl,
      Path adminPasswordFile,
      int port,
      int heartbeatSeconds,
      int timeoutSeconds)
      throws IOException, InterruptedException {
    return start(data, dbUrl, adminPasswordFile, port, heartbeatSeconds, timeoutSeconds, List.of());
  }

  private static ServerProcess start(
      Path data,
      String dbUrl,
      Path adminPasswordFile,
      int port,
      int heartbeatSeconds,
      int timeoutSeconds,
      List<String> flags)
      throws IOException, InterruptedException {
    Files.createDirectories(data);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath,
                IndexServerMain.class.getName(),
                "--bind",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--data",
                data.toString(),
                "--rate-limit",
                "0",
                "--heartbeat",
                Integer.toString(heartbeatSeconds),
                "--timeout",
                Integer.toString(timeoutSeconds),
                "--admin-password-file",
                adminPasswordFile.toString()));
    command.addAll(flags);
    Path log;
    try (var existing = Files.list(data)) {
      log =
          data.resolve(
              "server-" + existing.filter(p -> p.toString().endsWith(".log")).count() + ".log");
    }
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().remove("SWARMDEX_DB_URL");
    builder.environment().remove("SWARMDEX_ADMIN_PASSWORD");
    if (dbUrl != null) {
      builder.environment().put("SWARMDEX_DB_URL", dbUrl);
    }
    Process process = builder.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      Matcher listening = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (listening.find()) {
        return new ServerProcess(process, URI.create(listening.group(1)), log);
      }
      if (!process.isAlive()) {
        throw new IOException(
            "the index server exited with "
                + process.exitValue()
                + ":\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      Thread.sleep(50);
    }
    process.destroyForcibly().waitFor();
    throw new IOException(
        "the index server did not start within 90 s:\n"
            + Files.readString(log, StandardCharsets.UTF_8));
  }

  /** The API's base address. */
  URI uri() {
    return uri;
  }

  /** The server's output so far. */
  String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** SIGKILL: the process ends at once, flushing and closing nothing. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
