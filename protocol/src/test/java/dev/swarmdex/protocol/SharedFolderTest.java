package dev.swarmdex.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SharedFolderTest {
  private static final Sha256 SHA = Sha256.of("ab".repeat(32));

  @Test
  void takesRelativeVisibleFolders() {
    assertEquals("Music/Live", SharedFolder.check("Music/Live"));
    assertEquals("Fotos 2024/Été", SharedFolder.check("Fotos 2024/Été"));
    assertNull(SharedFolder.check(""));
    assertNull(SharedFolder.check(null));
    assertEquals("a/b", new SharedFile("x.mp3", 1, SHA, null, "a/b").folder());
  }

  @Test
  void refusesHostileFolders() {
    String[] hostile = {
      "/etc",
      "../up",
      "a/../../b",
      "..",
      ".",
      "a/./b",
      "a//b",
      "a/",
      ".hidden",
      "Music/.git",
      "C:",
      "C:\\Windows",
      "a\\b",
      "a\u0000b",
      "a\nb",
      "trailing./b",
      " lead",
      "x".repeat(SharedFolder.MAX_CHARS + 1),
      "a/".repeat(SharedFolder.MAX_DEPTH) + "a"
    };
    for (String folder : hostile) {
      assertFalse(SharedFolder.isValid(folder), folder);
      assertThrows(
          IllegalArgumentException.class,
          () -> new SharedFile("x.mp3", 1, SHA, null, folder),
          folder);
    }
  }

  @Test
  void codecRejectsAHostileFolderAndOmitsTheRoot() {
    String hostile =
        "{\"name\":\"x.mp3\",\"size\":1,\"sha256\":\"" + SHA.hex() + "\",\"folder\":\"../../x\"}";
    assertThrows(
        MalformedJsonException.class,
        () ->
            Json.read(hostile.getBytes(java.nio.charset.StandardCharsets.UTF_8), SharedFile.class));
    String old = "{\"name\":\"x.mp3\",\"size\":1,\"sha256\":\"" + SHA.hex() + "\"}";
    assertNull(
        Json.read(old.getBytes(java.nio.charset.StandardCharsets.UTF_8), SharedFile.class)
            .folder());
    assertFalse(Json.writeString(new SharedFile("x.mp3", 1, SHA)).contains("folder"));
    SharedFile nested = new SharedFile("x.mp3", 1, SHA, null, "Music/Live");
    assertEquals(nested, Json.read(Json.write(nested), SharedFile.class));
  }

  @Test
  void derivesAFolderFromARelativePath() {
    assertEquals("Music/Live", SharedFolder.of("Music/Live/a.mp3"));
    assertNull(SharedFolder.of("a.mp3"));
    assertNull(SharedFolder.of("bad:name/a.mp3"));
    assertTrue(SharedFolder.within("Music/Live", "Music"));
    assertTrue(SharedFolder.within("Music", null));
    assertFalse(SharedFolder.within("Musical", "Music"));
    assertFalse(SharedFolder.within(null, "Music"));
  }
}
