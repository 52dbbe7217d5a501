package dev.swarmdex.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SearchQueryTest {
  @Test
  void encodesEveryFilterIntoTheQueryString() {
    SearchQuery query =
        SearchQuery.of("café & co").withType(FileType.AUDIO).withSize(10L, 20L).withPage(5, 10);
    assertEquals(
        "q=caf%C3%A9+%26+co&type=audio&minSize=10&maxSize=20&limit=5&offset=10",
        query.toQueryString());
  }

  @Test
  void refusesWhatNoUserShouldSend() {
    assertThrows(IllegalArgumentException.class, () -> SearchQuery.of(" "));
    assertThrows(IllegalArgumentException.class, () -> SearchQuery.of("x".repeat(10_240)));
    assertThrows(IllegalArgumentException.class, () -> SearchQuery.of("a").withSize(5L, 1L));
    assertThrows(IllegalArgumentException.class, () -> SearchQuery.of("a").withPage(0, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> SearchQuery.of("a").withPage(Limits.MAX_PAGE_SIZE + 1, 0));
  }

  @Test
  void fileTypesComeFromExtensions() {
    assertEquals(FileType.AUDIO, FileType.of("Hey Jude.MP3"));
    assertEquals(FileType.ARCHIVE, FileType.of("linux-6.1.tar.xz"));
    assertEquals(FileType.SOFTWARE, FileType.of("package_1.0_amd64.deb"));
    assertEquals(FileType.OTHER, FileType.of("README"));
    assertEquals(FileType.OTHER, FileType.of("trailing."));
    assertEquals(FileType.VIDEO, FileType.parse("Video"));
    assertThrows(IllegalArgumentException.class, () -> FileType.parse("movies"));
  }

  @Test
  void sourceUrlsBracketIpv6() {
    Sha256 sha = Sha256.of("B".repeat(64));
    assertEquals(
        "http://127.0.0.2:6346/files/" + "b".repeat(64), Source.url("127.0.0.2", 6346, sha));
    assertEquals("http://[::1]:80/files/" + "b".repeat(64), Source.url("::1", 80, sha));
  }
}
