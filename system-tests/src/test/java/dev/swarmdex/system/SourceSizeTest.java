package dev.swarmdex.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main source file grows past about 400 lines: a class that does, has a seam to split along
 * (docs/ARCHITECTURE.md names the collaborators each big class was split into).
 */
class SourceSizeTest {
  /** About 400: a little room so that one more method does not force a split mid-change. */
  private static final int MAX_LINES = 420;

  @Test
  void everyMainSourceFileIsAtMostAbout400Lines() throws IOException {
    Path root = Path.of("..");
    assertTrue(Files.isRegularFile(root.resolve("pom.xml")), "run from a module of the project");
    List<String> tooLong;
    try (Stream<Path> files = Files.walk(root)) {
      tooLong =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> p.toString().contains("/src/main/java/"))
              .filter(p -> !p.toString().contains("/target/"))
              .map(p -> p.normalize() + " " + lines(p))
              .filter(
                  line -> Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1)) > MAX_LINES)
              .sorted()
              .toList();
    }
    assertEquals(List.of(), tooLong, "main source files over " + MAX_LINES + " lines");
  }

  private static long lines(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
