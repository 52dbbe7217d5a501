package dev.swarmdex.supernode;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.cli.Flags;
import dev.swarmdex.cli.ReadmeFlags;
import dev.swarmdex.engine.metrics.MetricsAccess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SupernodeFlagsTest {
  @Test
  void theReadmeTableListsEveryFlag() {
    ReadmeFlags.assertTableMatches(
        "### Supernodes and the admin API (KaZaA mode)",
        "supernode flag",
        SupernodeFlags.commandLine().getCommandSpec());
  }

  @Test
  void helpAndVersionComeFromTheDeclaration() {
    CommandLine cli = SupernodeFlags.commandLine();
    String help = cli.getUsageMessage();
    assertTrue(help.contains("--index=URL"), help);
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertTrue(cli.printHelpIfRequested(Flags.parse(cli, new String[] {"-V"})));
    assertTrue(out.toString().startsWith("swarmdex-supernode " + Flags.version()), out.toString());
  }

  @Test
  void aMetricsTokenFileAsksEveryScraperForItsToken(@TempDir Path dir) throws Exception {
    assertFalse(metrics().needsToken(), "this host only by default");
    Path token = Files.writeString(dir.resolve("token"), "scrape-token-0123456789\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    assertTrue(metrics("--metrics-token-file", token.toString()).needsToken());
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    String why =
        assertThrows(
                IllegalArgumentException.class,
                () -> metrics("--metrics-token-file", token.toString()))
            .getMessage();
    assertTrue(why.startsWith("--metrics-token-file " + token + " can be read by others"), why);
  }

  static MetricsAccess metrics(String... args) {
    CommandLine cli = SupernodeFlags.commandLine();
    Flags.parse(cli, args);
    return cli.<SupernodeFlags>getCommand().metrics();
  }
}
