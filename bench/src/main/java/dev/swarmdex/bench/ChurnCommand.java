package dev.swarmdex.bench;

import dev.swarmdex.cli.Flags;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code churn}: real peer agents (this JVM's classpath carries them) join a running directory and
 * are killed with SIGKILL and replaced, while searches count stale and missing results ({@link
 * ChurnRun}).
 */
@Command(
    name = "churn",
    mixinStandardHelpOptions = true,
    versionProvider = Flags.Version.class,
    synopsisHeading = "usage: ",
    description = "Agents join and die (SIGKILL); counts stale and missing search results.",
    sortOptions = false)
final class ChurnCommand implements BenchFlags.Run {
  @Option(names = "--server", paramLabel = "URL", required = true, description = "the directory")
  String server;

  @Option(
      names = "--agents",
      paramLabel = "N",
      defaultValue = "50",
      description = "agent processes at once, on 127.0.0.10.. (default ${DEFAULT-VALUE})")
  String agents;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "300",
      description = "how long the churn and the searches run (default ${DEFAULT-VALUE})")
  String seconds;

  @Option(
      names = "--kill-every-ms",
      paramLabel = "MS",
      defaultValue = "5000",
      description = "one agent killed and one started this often (default ${DEFAULT-VALUE})")
  String killEvery;

  @Option(
      names = "--search-every-ms",
      paramLabel = "MS",
      defaultValue = "200",
      description = "pause between searches (default ${DEFAULT-VALUE})")
  String searchEvery;

  @Option(
      names = "--agent-jvm",
      paramLabel = "FLAGS",
      defaultValue = "-Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k",
      description = "JVM flags of each agent (default ${DEFAULT-VALUE})")
  String agentJvm;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "seed of the victims and files (default ${DEFAULT-VALUE})")
  String seed;

  @Option(
      names = "--markdown",
      paramLabel = "FILE",
      description = "also append the figures to FILE")
  String markdown;

  @Override
  public BenchFlags.Task prepare() {
    int count = BenchFlags.integer("--agents", agents);
    if (count < 1 || count > 200) {
      throw new IllegalArgumentException("--agents must be 1 to 200 (127.0.0.10-209)");
    }
    URI uri = URI.create(server);
    Duration duration = Duration.ofSeconds(BenchFlags.wholeNumber("--seconds", seconds));
    Duration kill = Duration.ofMillis(BenchFlags.wholeNumber("--kill-every-ms", killEvery));
    Duration search = Duration.ofMillis(BenchFlags.wholeNumber("--search-every-ms", searchEvery));
    List<String> jvm =
        Arrays.stream(agentJvm.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    long seedValue = BenchFlags.wholeNumber("--seed", seed);
    Path out = BenchFlags.path(markdown);
    return () -> {
      Path work = null;
      try {
        work = Files.createTempDirectory("swarmdex-churn");
        var config =
            new ChurnRun.Config(
                uri, count, duration, kill, search, classpath(), jvm, work, seedValue);
        ChurnRun.Figures figures = new ChurnRun(config).run();
        System.out.print(figures.text());
        if (out != null) {
          BenchFlags.append(out, figures.text());
        }
        return 0;
      } catch (IOException e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      } finally {
        delete(work);
      }
    };
  }

  /** The classpath the agents run with: this JVM's (the bench jar carries the peer agent). */
  static String classpath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  private static void delete(Path work) {
    if (work == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(work)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + work + ": " + e.getMessage());
    }
  }
}
