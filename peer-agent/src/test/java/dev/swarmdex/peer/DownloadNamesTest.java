package dev.swarmdex.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DownloadNamesTest {
  @Test
  void keepsOnlyTheLastSegmentOfAPublishedPath() {
    assertEquals("passwd", DownloadNames.safe("../../etc/passwd"));
    assertEquals("evil.exe", DownloadNames.safe("C:\\Windows\\evil.exe"));
    assertEquals("Song - Artist.mp3", DownloadNames.safe("music/Song - Artist.mp3"));
  }

  @Test
  void neverHiddenNeverAPartFileNeverEmpty() {
    assertEquals("bashrc", DownloadNames.safe(".bashrc"));
    assertEquals("film.mkv.part_", DownloadNames.safe("film.mkv.part"));
    assertEquals("download", DownloadNames.safe("..."));
    assertEquals("download", DownloadNames.safe("dir/"));
    assertEquals("a_b_c_.txt", DownloadNames.safe("a<b>c?.txt"));
    assertEquals("tab_name", DownloadNames.safe("tab\tname"));
  }

  @Test
  void longNamesKeepTheirExtension() {
    String name = DownloadNames.safe("x".repeat(300) + ".flac");
    assertEquals(DownloadNames.MAX_CHARS, name.length());
    assertTrue(name.endsWith(".flac"), name);
  }

  @Test
  void takenNamesAreNumberedBeforeTheExtension() {
    assertEquals("a.iso", DownloadNames.numbered("a.iso", 1));
    assertEquals("a (2).iso", DownloadNames.numbered("a.iso", 2));
    assertEquals("README (3)", DownloadNames.numbered("README", 3));
  }
}
