package dev.swarmdex.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a user installs: the peer agent's and the supernode's runnable jars carry the directory
 * engine but none of the index server's database stack or web pages (the agent's own UI uses
 * web-ui's stylesheet and fetch helper, and carries those two files of it). Reads the jars `mvn
 * verify` built in the sibling modules (the reactor builds them before this module's tests run).
 */
class ShippedJarsTest {
  private static final List<String> SERVER_ONLY =
      List.of(
          "org/h2/",
          "org/postgresql/",
          "org/flywaydb/",
          "org/jdbi/",
          "dev/swarmdex/index/",
          "db/migration/",
          "swarmdex-web/");

  /** web-ui's files the agent's UI shares (and their folders): not pages. */
  private static final List<String> SHARED =
      List.of(
          "swarmdex-web/",
          "swarmdex-web/css/",
          "swarmdex-web/css/swarmdex.css",
          "swarmdex-web/js/",
          "swarmdex-web/js/api.js");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "peer-agent/target/swarmdex-peer-agent.jar",
        "supernode/target/swarmdex-supernode.jar"
      })
  void carriesTheEngineAndNothingOfTheServerApp(String path) throws IOException {
    Path jar = Path.of("..").resolve(path);
    assertTrue(
        Files.isRegularFile(jar),
        jar.toAbsolutePath() + " is missing: build it with `mvn -B verify` (package runs first)");
    try (JarFile file = new JarFile(jar.toFile());
        Stream<String> names = file.stream().map(e -> e.getName())) {
      List<String> all = names.toList();
      List<String> serverOnly =
          all.stream()
              .filter(n -> SERVER_ONLY.stream().anyMatch(n::startsWith))
              .filter(n -> !SHARED.contains(n))
              .limit(10)
              .toList();
      assertEquals(List.of(), serverOnly, path + " carries the index server's classes or pages");
      assertTrue(
          all.contains("dev/swarmdex/engine/directory/Directory.class"),
          path + " lacks the directory engine");
    }
  }
}
