package dev.swarmdex.bench;

import dev.swarmdex.protocol.SharedFile;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The entries a benchmark publishes, read from a list of paths: one path per line, optionally
 * followed by a tab and anything else (as in {@code PATH<TAB>SECTION/PACKAGE}), gzipped or not
 * (told by the content, not the file name). Paths whose name is not a valid shared file name are
 * skipped and counted.
 */
record Corpus(List<SharedFile> entries, long linesRead, long skipped) {
  Corpus {
    entries = List.copyOf(entries);
  }

  /** The first {@code limit} usable entries of {@code file} (fewer when the file runs out). */
  static Corpus read(Path file, int limit) throws IOException {
    try (InputStream in = open(file);
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      List<SharedFile> entries = new ArrayList<>(Math.min(limit, 1 << 20));
      long read = 0;
      long skipped = 0;
      String line;
      while (entries.size() < limit && (line = lines.readLine()) != null) {
        read++;
        String path = pathOf(line);
        if (path.isEmpty()) {
          skipped++;
          continue;
        }
        try {
          entries.add(SyntheticEntries.entryOf(path));
        } catch (IllegalArgumentException e) {
          skipped++;
        }
      }
      return new Corpus(entries, read, skipped);
    }
  }

  /** The path of one corpus line: everything before the first tab. */
  static String pathOf(String line) {
    int tab = line.indexOf('\t');
    return tab >= 0 ? line.substring(0, tab) : line;
  }

  private static InputStream open(Path file) throws IOException {
    BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      return new GZIPInputStream(in, 1 << 16);
    }
    return in;
  }
}
