package dev.swarmdex.index;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real index server program as a child process: this JVM's java, its classpath, the flags. */
final class RealProgram {
  private RealProgram() {}

  /** The command line that runs {@link IndexServerMain} with {@code flags}. */
  static List<String> command(String... flags) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                IndexServerMain.class.getName()));
    command.addAll(List.of(flags));
    return command;
  }
}
