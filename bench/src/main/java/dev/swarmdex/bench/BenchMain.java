package dev.swarmdex.bench;

import dev.swarmdex.cli.Flags;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The benchmark command line. It drives a running index server over its HTTP API from this separate
 * process and prints what it measured.
 *
 * <pre>
 * java -jar bench/target/swarmdex-bench.jar publish-search --server http://127.0.0.1:8080 \
 *     --entries 100000 --peers 1000 --clients 1,16 --markdown bench/results/run.md
 * </pre>
 *
 * <p>{@code flood} needs no server: it simulates query floods through a mesh of up to thousands of
 * directories in this JVM with the index server's own overlay rules.
 *
 * <pre>
 * java -jar bench/target/swarmdex-bench.jar flood --nodes 10000 --degrees 3,4,6 --ttls 1,2,3
 * </pre>
 *
 * <p>When the corpus file is absent it says so and exits with status 0 ("skipped"), so that runs
 * without the shared corpus do not fail. Each command's flags are declared in its own class ({@link
 * PublishSearchCommand}, {@link FloodCommand}, ...); {@code --help} lists them.
 */
public final class BenchMain {
  /** Seconds between the simulated peers' heartbeats (the server's default timeout is 90). */
  static final long HEARTBEAT_SECONDS = 30;

  /** Most unmeasured searches before each client count. */
  static final int MAX_WARMUP = 1000;

  /** Client threads of the JIT warm-up ({@code --jit-warmup}). */
  static final int JIT_WARMUP_CLIENTS = 16;

  private BenchMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command ({@code publish-search}, {@code flood}, ...) and returns its exit status. */
  public static int run(String[] args) {
    CommandLine cli = commandLine();
    CommandLine command = args.length == 0 ? null : cli.getSubcommands().get(args[0]);
    BenchFlags.Task task;
    try {
      ParseResult parsed = Flags.parse(cli, args);
      if (cli.printHelpIfRequested(parsed)) {
        return 0;
      }
      if (!parsed.hasSubcommand()) {
        cli.usage(System.err);
        return 2;
      }
      command = parsed.subcommand().commandSpec().commandLine();
      task = command.<BenchFlags.Run>getCommand().prepare();
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      (command == null ? cli : command).usage(System.err);
      return 2;
    }
    return task.run();
  }

  /** The bench's command line, its commands under it. */
  static CommandLine commandLine() {
    return Flags.commandLine(new BenchFlags());
  }

  /** The {@code publish-search} flags, read. */
  static PublishSearchConfig parse(String[] args) {
    return parsed("publish-search", args).<PublishSearchCommand>getCommand().config();
  }

  static FetchRun.Config parseFetch(String[] args) {
    return parsed("fetch", args).<FetchCommand>getCommand().config();
  }

  static FloodRun.Config parseFlood(String[] args) {
    return parsed("flood", args).<FloodCommand>getCommand().config();
  }

  static TransferReportCommand.Config parseTransferReport(String[] args) {
    return parsed("transfer-report", args).<TransferReportCommand>getCommand().config();
  }

  private static CommandLine parsed(String command, String[] args) {
    String[] line = new String[args.length + 1];
    line[0] = command;
    System.arraycopy(args, 0, line, 1, args.length);
    return Flags.parse(commandLine(), line).subcommand().commandSpec().commandLine();
  }
}
