package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.peer.serve.UploadLimits;
import dev.swarmdex.protocol.FileType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PeerAgentMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return PeerAgentMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void usageErrorsExitWithStatus2AndPrintUsageOnStderr() {
    String[][] wrong = {
      {},
      {"frobnicate"},
      {"share", "--dir", "/tmp"},
      {"share", "--server", "http://127.0.0.1:1", "--dir", "/tmp", "--port"},
      {"share", "--server", "http://127.0.0.1:1", "--dir", "/tmp", "--port", "70000"},
      {"share", "--server", "http://127.0.0.1:1", "--dir", "/tmp", "--bogus", "x"},
      {"share", "--server", "ftp://example", "--dir", "/tmp"},
      {"search", "--server", "http://127.0.0.1:1"},
      {"search", "--server", "http://127.0.0.1:1", "--type", "smell", "x"},
      {"search", "--server", "http://127.0.0.1:1", "--min-size", "big", "x"},
      {"get", "--server", "http://127.0.0.1:1", "nothex", "-o", "f"},
      {"get", "--server", "http://127.0.0.1:1", "ab".repeat(32)},
      {"get", "magnet:?xt=urn:btih:" + "ab".repeat(20), "-o", "f"},
      {"get", "magnet:?xt=urn:sha256:" + "ab".repeat(32) + "&tr=udp://t", "-o", "f"},
      {"get", "--bind", "127.0.0.1", "magnet:?xt=urn:sha256:" + "ab".repeat(32), "-o", "f"},
    };
    for (String[] args : wrong) {
      err.reset();
      assertEquals(2, run(args), String.join(" ", args));
      assertTrue(err().contains("usage: swarmdex-peer-agent"), err());
    }
  }

  @Test
  void helpPrintsUsageAndSucceeds() {
    assertEquals(0, run("share", "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--rescan=SECONDS"));
    assertEquals(0, run("get", "--help"));
    assertEquals(0, run("search", "-h"));
  }

  @Test
  void shareDefaults() throws Exception {
    CommandLine.Command command =
        CommandLine.parse(
            new String[] {"share", "--server", "http://127.0.0.1:8080", "--dir", "/srv/music"},
            new CommandLine.Defaults(Path.of("/home/ann"), "annbox"));

    PeerAgentConfig config = assertInstanceOf(CommandLine.ShareCommand.class, command).config();
    assertEquals(6346, config.port());
    assertEquals(InetAddress.getByName("127.0.0.1"), config.bind());
    assertEquals("annbox", config.name());
    assertEquals(Duration.ofSeconds(30), config.rescanInterval());
    assertTrue(
        config.stateDir().toString().matches("/home/ann/\\.swarmdex/peer-[0-9a-f]{12}"),
        config.stateDir().toString());
  }

  @Test
  void getAcceptsPushesOnlyAtAnAddress() throws Exception {
    CommandLine.Defaults defaults = new CommandLine.Defaults(Path.of("/home/ann"), "annbox");
    String sha = "ab".repeat(32);
    CommandLine.Command command =
        CommandLine.parse(
            new String[] {
              "get",
              "--server",
              "http://127.0.0.1:8080",
              "--bind",
              "127.0.0.9",
              "--accept-pushes",
              sha,
              "-o",
              "/tmp/x"
            },
            defaults);
    assertTrue(assertInstanceOf(CommandLine.GetCommand.class, command).acceptPushes());
    assertThrows(
        UsageException.class,
        () ->
            CommandLine.parse(
                new String[] {
                  "get", "--server", "http://127.0.0.1:8080", "--accept-pushes", sha, "-o", "/tmp/x"
                },
                defaults));
  }

  @Test
  void shareUploadFlags() throws Exception {
    CommandLine.Defaults defaults = new CommandLine.Defaults(Path.of("/home/ann"), "annbox");
    String[] base = {"share", "--server", "http://127.0.0.1:8080", "--dir", "/srv/music"};
    PeerAgentConfig plain =
        assertInstanceOf(CommandLine.ShareCommand.class, CommandLine.parse(base, defaults))
            .config();
    assertEquals(UploadLimits.defaults(), plain.uploads());

    String[] args = {
      "share",
      "--server",
      "http://127.0.0.1:8080",
      "--dir",
      "/srv/music",
      "--upload-slots",
      "2",
      "--max-upload",
      "1024",
      "--max-upload-per-peer=256"
    };
    PeerAgentConfig config =
        assertInstanceOf(CommandLine.ShareCommand.class, CommandLine.parse(args, defaults))
            .config();
    assertEquals(new UploadLimits(2, 1 << 20, 256 << 10), config.uploads());
    assertEquals(2, run("share", "--server", "http://h:1", "--dir", "/tmp", "--upload-slots", "0"));
  }

  @Test
  void searchFlagsBuildTheQuery() throws Exception {
    CommandLine.Command command =
        CommandLine.parse(
            new String[] {
              "search",
              "--server=http://h:1",
              "--json",
              "--type",
              "audio",
              "--min-size",
              "1k",
              "--max-size",
              "2m",
              "--limit",
              "5",
              "beatles",
              "help"
            },
            new CommandLine.Defaults(Path.of("/"), "h"));

    CommandLine.SearchCommand search = assertInstanceOf(CommandLine.SearchCommand.class, command);
    assertTrue(search.json());
    assertEquals("beatles help", search.query().text());
    assertEquals(FileType.AUDIO, search.query().type());
    assertEquals(1024L, search.query().minSize());
    assertEquals(2L << 20, search.query().maxSize());
    assertEquals(5, search.query().limit());
  }

  @Test
  void everyCommandTakesAPinnedServerCertificate() throws Exception {
    CommandLine.Defaults defaults = new CommandLine.Defaults(Path.of("/home/ann"), "h");
    String https = "https://203.0.113.5:8443";
    Path pin = Path.of("/etc/swarmdex/server.pem");
    CommandLine.ShareCommand share =
        (CommandLine.ShareCommand)
            CommandLine.parse(
                new String[] {
                  "share", "--server", https, "--dir", "/srv", "--server-cert", "" + pin
                },
                defaults);
    assertEquals(pin, share.serverCert());
    assertEquals("https", share.config().server().getScheme());
    assertEquals(
        pin,
        ((CommandLine.SearchCommand)
                CommandLine.parse(
                    new String[] {"search", "--server", https, "--server-cert=" + pin, "x"},
                    defaults))
            .serverCert());
    assertEquals(
        pin,
        ((CommandLine.GetCommand)
                CommandLine.parse(
                    new String[] {
                      "get",
                      "--server",
                      https,
                      "--server-cert",
                      "" + pin,
                      "-o",
                      "f",
                      "ab".repeat(32)
                    },
                    defaults))
            .serverCert());
    assertEquals(
        pin,
        ((CommandLine.ReputationCommand)
                CommandLine.parse(
                    new String[] {
                      "reputation", "--server", https, "--dir", "/srv", "--server-cert", "" + pin
                    },
                    defaults))
            .serverCert());
    assertEquals(
        null,
        ((CommandLine.SearchCommand)
                CommandLine.parse(new String[] {"search", "--server", https, "x"}, defaults))
            .serverCert(),
        "the system trust store unless pinned");
  }

  @Test
  void getFromAnUnreachableDirectoryFailsWithOneLine() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    int status =
        run("get", "--server", "http://127.0.0.1:" + port, "ab".repeat(32), "-o", "/tmp/x");

    assertEquals(1, status);
    assertEquals(1, err().strip().lines().count(), err());
  }

  @Test
  void reputationReadsTheIdentityFromTheStateFolderOrTheSharedFolderDefault() throws Exception {
    CommandLine.Defaults defaults = new CommandLine.Defaults(Path.of("/home/ann"), "annbox");
    CommandLine.ReputationCommand byState =
        (CommandLine.ReputationCommand)
            CommandLine.parse(
                new String[] {
                  "reputation", "--server", "http://127.0.0.1:8080", "--state", "/var/peer"
                },
                defaults);
    assertEquals(Path.of("/var/peer"), byState.state());
    assertEquals("http://127.0.0.1:8080", byState.server().toString());
    assertEquals(false, byState.json());

    CommandLine.ReputationCommand byDir =
        (CommandLine.ReputationCommand)
            CommandLine.parse(
                new String[] {
                  "reputation", "--server", "http://127.0.0.1:8080", "--dir", "/srv/music", "--json"
                },
                defaults);
    assertEquals(
        CommandLine.defaultStateDir(Path.of("/home/ann"), Path.of("/srv/music")), byDir.state());
    assertTrue(byDir.json());
  }

  @Test
  void reputationNeedsAServerAndExactlyOneWayToFindTheIdentity() {
    String[][] wrong = {
      {"reputation", "--state", "/var/peer"},
      {"reputation", "--server", "http://127.0.0.1:1"},
      {"reputation", "--server", "http://127.0.0.1:1", "--state", "/a", "--dir", "/b"},
      {"reputation", "--server", "http://127.0.0.1:1", "--state", "/a", "extra"},
      {"reputation", "--server", "http://127.0.0.1:1", "--state", "/a", "--level", "1000"},
    };
    for (String[] args : wrong) {
      err.reset();
      assertEquals(2, run(args), String.join(" ", args));
      assertTrue(err().contains("usage: swarmdex-peer-agent reputation"), err());
    }
    assertEquals(0, run("reputation", "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--state=DIR"));
  }

  @Test
  void reputationWithoutAStoredIdentitySaysSo(@org.junit.jupiter.api.io.TempDir Path empty) {
    assertEquals(
        1, run("reputation", "--server", "http://127.0.0.1:1", "--state", empty.toString()));
    assertTrue(err().contains("no peer identity in"), err());
  }

  @Test
  void reputationPrintsTheLevelEachFactorAndTheHistory() {
    String text =
        PeerAgentMain.reputationText(
            new dev.swarmdex.protocol.ReputationReport(
                "p1",
                412,
                java.util.List.of(
                    new dev.swarmdex.protocol.ReputationFactor(
                        "uploads", 300, "12 receipts from 4 peers"),
                    new dev.swarmdex.protocol.ReputationFactor(
                        "reports", -20, "1 corrupt transfer")),
                java.util.List.of(
                    new dev.swarmdex.protocol.ReputationChange(1_790_000_000L, 412, "receipts"))));
    assertTrue(text.startsWith("peer p1: level 412 of 1000\n"), text);
    assertTrue(text.contains("uploads       +300  12 receipts from 4 peers"), text);
    assertTrue(text.contains("reports        -20  1 corrupt transfer"), text);
    assertTrue(text.contains("2026-09-21T14:13:20Z   412  receipts"), text);
  }
}
