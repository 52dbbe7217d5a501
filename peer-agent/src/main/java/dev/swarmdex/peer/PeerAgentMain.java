package dev.swarmdex.peer;

import dev.swarmdex.cli.Logs;
import dev.swarmdex.peer.CommandLine.Command;
import dev.swarmdex.peer.CommandLine.GetCommand;
import dev.swarmdex.peer.CommandLine.Help;
import dev.swarmdex.peer.CommandLine.ReputationCommand;
import dev.swarmdex.peer.CommandLine.SearchCommand;
import dev.swarmdex.peer.CommandLine.ShareCommand;
import dev.swarmdex.peer.download.Downloader;
import dev.swarmdex.peer.download.Identity;
import dev.swarmdex.peer.terminal.ByteSizes;
import dev.swarmdex.peer.terminal.ProgressLine;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.Magnet;
import dev.swarmdex.protocol.ReputationChange;
import dev.swarmdex.protocol.ReputationFactor;
import dev.swarmdex.protocol.ReputationReport;
import dev.swarmdex.protocol.SearchResponse;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.ServerTrust;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code swarmdex-peer-agent} command line: {@code share} a folder until Ctrl-C, {@code search}
 * a directory, {@code get} a file by its SHA-256 from every peer sharing it at once (resumable).
 * Wrong arguments print usage on stderr and exit with status 2; a failed search or download exits 1
 * with a one-line error.
 *
 * <pre>
 * java -jar swarmdex-peer-agent.jar share --server http://127.0.0.1:8080 --dir ~/Music
 * java -jar swarmdex-peer-agent.jar search --server http://127.0.0.1:8080 beatles help
 * java -jar swarmdex-peer-agent.jar get --server http://127.0.0.1:8080 SHA256 -o help.mp3
 * </pre>
 */
public final class PeerAgentMain {
  private PeerAgentMain() {}

  public static void main(String[] args) {
    if (args.length > 0 && !args[0].equals("share")) {
      // One-shot commands own the terminal: only warnings and errors are logged there.
      Logs.configure(Logs.Format.TEXT, true);
    }
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command and returns the process exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Command command;
    try {
      command = CommandLine.parse(args, defaults());
    } catch (UsageException e) {
      err.println(CommandLine.PROGRAM + ": " + e.getMessage());
      err.print(e.usage());
      return 2;
    }
    try {
      if (command instanceof Help help) {
        out.print(help.text());
        return 0;
      } else if (command instanceof ShareCommand share) {
        return share(share, out);
      } else if (command instanceof SearchCommand search) {
        return search(search, out);
      } else if (command instanceof GetCommand get) {
        return get(get, out);
      } else if (command instanceof CommandLine.WatchCommand watch) {
        return WatchCli.run(watch, out);
      } else if (command instanceof ReputationCommand reputation) {
        return reputation(reputation, out, err);
      } else if (command instanceof CommandLine.UiCommand ui) {
        out.println(AgentUi.savedUrl(ui.state()));
        return 0;
      }
      throw new IllegalStateException("unhandled command " + command);
    } catch (UsageException e) {
      err.println(CommandLine.PROGRAM + ": " + e.getMessage());
      err.print(e.usage());
      return 2;
    } catch (ApiException e) {
      err.println(CommandLine.PROGRAM + ": " + describe(e));
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println(CommandLine.PROGRAM + ": " + oneLine(e));
      return 1;
    }
  }

  private static CommandLine.Defaults defaults() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = System.getenv().getOrDefault("HOSTNAME", "peer");
    }
    Path home = Path.of(System.getProperty("user.home"));
    String xdg = System.getenv("XDG_CONFIG_HOME");
    Path configs = xdg == null || xdg.isBlank() ? home.resolve(".config") : Path.of(xdg);
    return new CommandLine.Defaults(
        home, host, configs.resolve("swarmdex").resolve(CommandLine.CONFIG_NAME));
  }

  private static int share(ShareCommand command, PrintStream out) throws IOException {
    Logs.configure(command.logFormat(), false);
    CountDownLatch stopped = new CountDownLatch(1);
    PeerAgentConfig config = command.config().withTrust(trust(command.serverCert()));
    PeerAgent agent = PeerAgent.start(config);
    AgentUi ui;
    try {
      agent.transfers().atOnce(command.downloadsAtOnce());
      ui = AgentUi.start(agent, config, command.uiBind(), command.uiPort());
    } catch (IOException | RuntimeException e) {
      agent.close();
      throw e;
    }
    Thread hook =
        new Thread(
            () -> {
              ui.close();
              agent.close();
              stopped.countDown();
            },
            "peer-agent-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.printf(
        "sharing %d files from %s at %s%s; Ctrl-C to stop%n",
        agent.sharedCount(),
        command.config().shareDir(),
        agent.fileServerUri(),
        agent.credentials().map(c -> " as peer " + c.peerId()).orElse(""));
    out.printf("your web UI (keep this link private): %s%n", ui.url());
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ui.close();
      agent.close();
    }
    return 0;
  }

  private static int search(SearchCommand command, PrintStream out) {
    try (ApiClient api = ApiClient.create(command.server(), null, trust(command.serverCert()))) {
      SearchResponse response = api.search(command.query());
      if (command.json()) {
        out.println(new String(Json.write(response), StandardCharsets.UTF_8));
        return 0;
      }
      if (response.results().isEmpty()) {
        out.println("no results");
        return 0;
      }
      // In the API's order (engine Ranking), never sorted again: networks, not sources, rank a
      // result, since many identities on one address are one network.
      out.printf(
          "%-40s %10s %7s %8s  %-64s  %s%n",
          "NAME", "SIZE", "SOURCES", "NETWORKS", "SHA256", "URL");
      for (SearchResult result : response.results()) {
        out.printf(
            "%-40s %10s %7d %8d  %-64s  %s%n",
            abbreviate(result.name(), 40),
            ByteSizes.format(result.size()),
            result.sources().size(),
            result.networks(),
            result.sha256().hex(),
            result.sources().isEmpty() ? "-" : result.sources().get(0).url());
        out.printf("  %s%n", Magnet.of(result, command.server()).text());
      }
      out.printf(
          "%d of %d results%s%n",
          response.results().size(),
          Math.max(response.total(), response.results().size()),
          response.stoppedEarly()
              ? " (the search stopped once it had enough: more words narrow it to every match)"
              : "");
      return 0;
    }
  }

  private static int get(GetCommand command, PrintStream out) throws IOException, UsageException {
    if (!command.withoutAgent()) {
      List<AgentLink> agents =
          AgentLink.find(command.agentsHome(), command.state(), command.server());
      if (agents.size() > 1) {
        StringBuilder which = new StringBuilder();
        for (AgentLink agent : agents) {
          which.append(' ').append(agent.stateDir());
        }
        throw new UsageException(
            "several peer agents run here; choose one with --state DIR:" + which,
            CommandLine.usage("get"));
      }
      if (agents.size() == 1) {
        return viaAgent(agents.get(0), command, out);
      }
      if (command.state() != null) {
        throw new IOException("no peer agent answers with state folder " + command.state());
      }
      if (command.directory() == null || command.out() == null) {
        throw new UsageException(
            "no peer agent runs here to download into its shared folder: give --server URL and"
                + " -o FILE",
            CommandLine.usage("get"));
      }
    }
    int status = getHere(command, out);
    if (!command.noShare()) {
      out.println("not shared: no peer agent runs here; run 'share' to share what you download");
    }
    return status;
  }

  /** Hands the download to a running agent and follows it until it ends. */
  private static int viaAgent(AgentLink agent, GetCommand command, PrintStream out)
      throws IOException {
    Path target = command.out() == null ? null : command.out().toAbsolutePath().normalize();
    if (command.noShare() && target != null && target.startsWith(agent.shareDir())) {
      throw new IOException(
          "--no-share: "
              + target
              + " is inside the shared folder "
              + agent.shareDir()
              + ", which the agent shares; save it elsewhere");
    }
    LocalControl.Status status = agent.order(command.sha256(), target, command.patience());
    ProgressLine line = ProgressLine.forConsole();
    long started = System.nanoTime();
    while (status.state().equals("running")) {
      LocalControl.Status now = status;
      line.show(
          () ->
              String.format(
                  "%s: %s / %s (by the agent)",
                  now.file() == null ? command.sha256().hex().substring(0, 12) : now.file(),
                  ByteSizes.format(Math.max(0, now.bytes())),
                  now.size() < 0 ? "?" : ByteSizes.format(now.size())));
      try {
        Thread.sleep(Math.min(500, 50 + (System.nanoTime() - started) / 10_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted; the agent carries on with the download", e);
      }
      status = agent.poll(command.sha256());
    }
    line.finish();
    if (!status.state().equals("done")) {
      throw new IOException(status.error() == null ? "the download failed" : status.error());
    }
    out.printf(
        "saved %s (%s, sha256 %s verified)%n",
        status.file(), ByteSizes.format(status.bytes()), command.sha256());
    out.println(
        status.shared()
            ? "shared: this peer is now a source of it"
            : "not shared: " + (command.noShare() ? "as asked" : "outside the shared folder"));
    return 0;
  }

  private static int getHere(GetCommand command, PrintStream out) throws IOException {
    ServerTrust trust = trust(command.serverCert());
    try (ApiClient api = ApiClient.create(command.directory(), command.bind(), trust);
        Downloader downloader =
            command.acceptPushes()
                ? Downloader.acceptingPushes(command.bind(), Identity.anonymous(), trust)
                : Downloader.create(command.bind(), Identity.anonymous(), trust)) {
      Path file;
      try {
        file = downloader.fetch(api, command.sha256(), command.out(), command.patience());
      } catch (ApiException e) {
        if (e.status() == 404) {
          throw new IOException("no peer shares " + command.sha256() + " now");
        }
        throw e;
      }
      out.printf(
          "saved %s (%s, sha256 %s verified)%n",
          file, ByteSizes.format(java.nio.file.Files.size(file)), command.sha256());
      return 0;
    }
  }

  private static int reputation(ReputationCommand command, PrintStream out, PrintStream err) {
    Credentials me = new CredentialStore(command.state()).load().orElse(null);
    if (me == null) {
      err.println(
          CommandLine.PROGRAM
              + ": no peer identity in "
              + command.state()
              + ": run 'share' first (or give its --state)");
      return 1;
    }
    try (ApiClient api = ApiClient.create(command.server(), null, trust(command.serverCert()))) {
      ReputationReport report = api.reputationReport(me);
      if (command.json()) {
        out.println(new String(Json.write(report), StandardCharsets.UTF_8));
      } else {
        out.print(reputationText(report));
      }
      return 0;
    }
  }

  /**
   * The certificates to accept from an {@code https://} directory: those in {@code serverCert}, or
   * the system trust store when it is null.
   */
  private static ServerTrust trust(Path serverCert) {
    if (serverCert == null) {
      return ServerTrust.system();
    }
    try {
      return ServerTrust.pinned(serverCert);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--server-cert: " + e.getMessage(), e);
    }
  }

  /** A level, its factors and its history as the {@code reputation} command prints them. */
  static String reputationText(ReputationReport report) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            "peer %s: level %d of %d%n",
            report.peerId(), report.level(), ReputationReport.MAX_LEVEL));
    List<ReputationFactor> factors = report.factors() == null ? List.of() : report.factors();
    if (!factors.isEmpty()) {
      text.append(String.format("why:%n"));
      for (ReputationFactor factor : factors) {
        text.append(
            String.format("  %-12s %+5d  %s%n", factor.name(), factor.points(), factor.why()));
      }
    }
    List<ReputationChange> history = report.history() == null ? List.of() : report.history();
    if (history.isEmpty()) {
      text.append(String.format("history: no changes yet%n"));
    } else {
      text.append(String.format("history (newest first):%n"));
      for (ReputationChange change : history) {
        text.append(
            String.format(
                "  %s  %4d  %s%n",
                java.time.Instant.ofEpochSecond(change.at()), change.level(), change.reason()));
      }
    }
    return text.toString();
  }

  private static String describe(ApiException e) {
    if (e.status() == 0) {
      return e.getMessage();
    }
    return "directory answered HTTP " + e.status() + ": " + e.getMessage();
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    if (e instanceof java.nio.file.NoSuchFileException
        || e instanceof java.nio.file.NotDirectoryException) {
      message = "not a folder or file: " + message;
    }
    return message.replace('\n', ' ');
  }

  static String abbreviate(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 1) + "…";
  }
}
