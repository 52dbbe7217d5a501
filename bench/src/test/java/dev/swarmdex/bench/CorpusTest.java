package dev.swarmdex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.swarmdex.protocol.SharedFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
  private static final String TSV =
      String.join(
          "\n",
          "usr/share/doc/r-cran-dplyr/tests/testthat/test-slice.r.gz\tgnu-r/r-cran-dplyr",
          "usr/include/CGAL/Union_of_balls_3.h\tlibdevel/libcgal-dev",
          "usr/share/empty-dir/\tmisc/broken",
          "usr/lib/" + "x".repeat(300) + "\tmisc/too-long",
          "usr/lib/bad\u0001name.so\tmisc/control",
          "",
          "usr/lib/ocaml/camlp5/ploc.cmx\tocaml/camlp5",
          "usr/bin/last-one\tutils/last");

  @TempDir Path dir;

  @Test
  void readsTabSeparatedLinesAndSkipsInvalidNames() throws IOException {
    Path file = dir.resolve("paths.tsv");
    Files.writeString(file, TSV, StandardCharsets.UTF_8);

    Corpus corpus = Corpus.read(file, 100);

    assertEquals(
        List.of("test-slice.r.gz", "Union_of_balls_3.h", "ploc.cmx", "last-one"),
        corpus.entries().stream().map(SharedFile::name).toList());
    assertEquals(8, corpus.linesRead());
    assertEquals(4, corpus.skipped()); // a trailing slash, 300 characters, a control character, ""
  }

  @Test
  void readsGzippedFilesByTheirContentNotTheirName() throws IOException {
    Path file = dir.resolve("paths.list"); // no .gz: the magic bytes tell
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(TSV.getBytes(StandardCharsets.UTF_8));
    }

    Corpus corpus = Corpus.read(file, 100);

    assertEquals(4, corpus.entries().size());
    assertEquals("test-slice.r.gz", corpus.entries().get(0).name());
  }

  @Test
  void readsPlainPathListsUpToTheLimitOfUsableEntries() throws IOException {
    Path file = dir.resolve("paths.txt");
    Files.writeString(
        file, "a/one.txt\nb/\nc/two words.mp3\nd/three.ogg\n", StandardCharsets.UTF_8);

    Corpus corpus = Corpus.read(file, 2);

    assertEquals(
        List.of("one.txt", "two words.mp3"),
        corpus.entries().stream().map(SharedFile::name).toList());
    assertEquals(3, corpus.linesRead());
    assertEquals(1, corpus.skipped());
  }
}
