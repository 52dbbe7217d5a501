package dev.swarmdex.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** The settings of one {@code publish-search} run, read once from the command line. */
record PublishSearchConfig(
    URI server,
    Path corpus,
    int entries,
    int peers,
    int publishers,
    List<Integer> clients,
    int searches,
    long seed,
    Path markdown,
    boolean leave) {
  static final Path DEFAULT_CORPUS = Path.of("../shared/corpus/debian-paths-2m.tsv.gz");

  PublishSearchConfig {
    if (server == null) {
      throw new IllegalArgumentException("--server URL is required");
    }
    positive("--entries", entries);
    positive("--peers", peers);
    positive("--publishers", publishers);
    positive("--searches", searches);
    clients = List.copyOf(clients);
    if (clients.isEmpty()) {
      throw new IllegalArgumentException("--clients needs at least one count");
    }
    clients.forEach(c -> positive("--clients", c));
  }

  private static void positive(String flag, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(flag + " must be at least 1");
    }
  }
}
