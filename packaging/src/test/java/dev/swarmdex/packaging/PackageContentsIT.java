package dev.swarmdex.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built Debian package and tarball hold what an operator installs: the three programs, their
 * commands, example configs (as conffiles), hardened systemd units; and the tarball's commands
 * start a working server. (CI also installs the package with {@code dpkg -i} and starts the index
 * server from its installed paths: {@code .ci/package-check.sh}.)
 */
class PackageContentsIT {
  private static final String VERSION = System.getProperty("swarmdex.version", "0.1.0-SNAPSHOT");
  private static final Path TARGET = Path.of("target");
  private static final List<String> PROGRAMS = List.of("index-server", "supernode", "peer-agent");

  @TempDir Path dir;

  private static Path deb() throws IOException {
    try (var files = Files.list(TARGET)) {
      return files
          .filter(p -> p.getFileName().toString().matches("swarmdex_.*_all\\.deb"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no swarmdex_*_all.deb in " + TARGET));
    }
  }

  @Test
  void theDebianPackageInstallsProgramsCommandsConfigsAndUnitsWithTheRightModes() throws Exception {
    Path deb = deb();
    String info = run(List.of("dpkg-deb", "--info", deb.toString()), null);
    assertTrue(info.contains("Package: swarmdex"), info);
    assertTrue(info.contains("Version: " + VERSION.replace("-SNAPSHOT", "~SNAPSHOT")), info);
    assertTrue(info.contains("Depends: java17-runtime-headless"), info);

    Map<String, String> modes = new TreeMap<>();
    for (String line : run(List.of("dpkg-deb", "--contents", deb.toString()), null).split("\n")) {
      String[] cols = line.trim().split("\\s+");
      modes.put(cols[cols.length - 1].replaceFirst("^\\.", ""), cols[0]);
    }
    for (String program : PROGRAMS) {
      assertEquals("-rw-r--r--", modes.get("/usr/share/swarmdex/swarmdex-" + program + ".jar"));
      assertEquals("-rwxr-xr-x", modes.get("/usr/bin/swarmdex-" + program), modes.toString());
      assertEquals("-rw-r--r--", modes.get("/etc/swarmdex/" + program + ".toml"), program);
      assertEquals(
          "-rw-r--r--", modes.get("/lib/systemd/system/swarmdex-" + program + ".service"), program);
    }

    Path root = dir.resolve("root");
    run(List.of("dpkg-deb", "--raw-extract", deb.toString(), root.toString()), null);
    String conffiles = Files.readString(root.resolve("DEBIAN/conffiles"));
    for (String program : PROGRAMS) {
      assertTrue(conffiles.contains("/etc/swarmdex/" + program + ".toml"), conffiles);
      String unit =
          Files.readString(root.resolve("lib/systemd/system/swarmdex-" + program + ".service"));
      for (String hardening :
          List.of(
              "User=swarmdex",
              "NoNewPrivileges=yes",
              "ProtectSystem=strict",
              "PrivateTmp=yes",
              "CapabilityBoundingSet=\n",
              "ExecStart=/usr/bin/swarmdex-" + program,
              "--config /etc/swarmdex/" + program + ".toml")) {
        assertTrue(unit.contains(hardening), program + " unit lacks " + hardening);
      }
      // The installed jar is the program: it answers --version.
      String version =
          run(
              List.of(
                  "java",
                  "-jar",
                  root.resolve("usr/share/swarmdex/swarmdex-" + program + ".jar").toString(),
                  "--version"),
              null);
      assertTrue(version.contains(VERSION), program + ": " + version);
    }
    String postinst = Files.readString(root.resolve("DEBIAN/postinst"));
    assertTrue(postinst.contains("chmod 0700"), "the data folder is the service user's only");
  }

  @Test
  void theTarballsCommandsStartAWorkingIndexServer() throws Exception {
    Path tarball = TARGET.resolve("swarmdex-" + VERSION + ".tar.gz");
    assertTrue(Files.isRegularFile(tarball), tarball + " was built");
    run(List.of("tar", "-xzf", tarball.toAbsolutePath().toString(), "-C", dir.toString()), null);
    Path home = dir.resolve("swarmdex-" + VERSION);
    for (String program : PROGRAMS) {
      assertTrue(Files.isExecutable(home.resolve("bin/swarmdex-" + program)), program);
      assertTrue(Files.isRegularFile(home.resolve("config/" + program + ".toml")), program);
      assertTrue(
          run(List.of(home.resolve("bin/swarmdex-" + program).toString(), "--version"), null)
              .contains(VERSION),
          program + " --version");
    }

    Process server =
        new ProcessBuilder(
                home.resolve("bin/swarmdex-index-server").toString(),
                "--bind",
                "127.0.0.1",
                "--port",
                "0",
                "--data",
                dir.resolve("data").toString())
            .redirectErrorStream(true)
            .start();
    try {
      URI base = startedAt(server);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(base.resolve("/ready")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), health.body());
      HttpResponse<String> search =
          http.send(
              HttpRequest.newBuilder(base.resolve("/api/v1/search?q=anything")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, search.statusCode(), search.body());
      assertTrue(search.body().contains("\"results\":[]"), search.body());
    } finally {
      server.destroy();
      assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the index server stops on SIGTERM");
    }
  }

  /** The address the server prints once it listens ("... on http://127.0.0.1:PORT ..."). */
  private static URI startedAt(Process server) throws Exception {
    Pattern listening = Pattern.compile("index server on (https?://[^ ]+)");
    CompletableFuture<URI> uri = new CompletableFuture<>();
    List<String> lines = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  synchronized (lines) {
                    lines.add(line);
                  }
                  Matcher m = listening.matcher(line);
                  if (m.find()) {
                    uri.complete(URI.create(m.group(1)));
                  }
                }
              } catch (IOException e) {
                uri.completeExceptionally(e);
              }
              uri.completeExceptionally(new AssertionError("the server exited: " + lines));
            });
    reader.setDaemon(true);
    reader.start();
    return uri.get(60, TimeUnit.SECONDS);
  }

  private static String run(List<String> command, Path cwd) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (cwd != null) {
      builder.directory(cwd.toFile());
    }
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), command + " finished");
    assertEquals(0, process.exitValue(), command + ": " + out);
    return out;
  }
}
