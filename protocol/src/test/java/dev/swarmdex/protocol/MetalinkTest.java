package dev.swarmdex.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetalinkTest {
  private static final Sha256 SHA = Sha256.of("ab".repeat(32));

  @Test
  void namesAndUrlsAreEscapedAndCharactersXmlCannotHoldReplaced() {
    String xml =
        new String(
            new Metalink("a<b>&\"c'\uD800.bin", 0, SHA, null, List.of("http://h/x?a=1&b=2")).xml(),
            StandardCharsets.UTF_8);

    assertTrue(xml.contains("<file name=\"a&lt;b&gt;&amp;&quot;c&apos;\uFFFD.bin\">"), xml);
    assertTrue(xml.contains("<url priority=\"1\">http://h/x?a=1&amp;b=2</url>"), xml);
    assertTrue(!xml.contains("<pieces"), "no pieces without a tree: " + xml);
  }

  @Test
  void aNameThatIsADirectoryStepIsSavedUnderTheContentId() {
    for (String name : List.of(".", "..")) {
      String xml =
          new String(
              new Metalink(name, 0, SHA, null, List.of("http://h/x")).xml(),
              StandardCharsets.UTF_8);
      assertTrue(xml.contains("<file name=\"" + SHA.hex() + "\">"), xml);
    }
  }

  @Test
  void piecesFollowTheTreeAndSourcesTheirOrder() {
    long size = HashTree.CHUNK_SIZE + 5;
    HashTree tree =
        HashTree.of(size, List.of(Sha256.of("01".repeat(32)), Sha256.of("02".repeat(32))));
    String xml =
        new String(
            new Metalink("f", size, SHA, tree, List.of("http://a/f", "http://b/f")).xml(),
            StandardCharsets.UTF_8);

    assertTrue(
        xml.contains(
            "<pieces length=\"1048576\" type=\"sha-256\">\n      <hash>" + "01".repeat(32)),
        xml);
    assertEquals(2, xml.split("<hash>", -1).length - 1);
    assertTrue(
        xml.indexOf("priority=\"1\">http://a/f") < xml.indexOf("priority=\"2\">http://b/f"), xml);
  }

  @Test
  void aMetalinkWithoutSourcesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Metalink("f", 1, SHA, null, List.of()));
  }
}
