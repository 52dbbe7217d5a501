package dev.swarmdex.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResultSerializersTest {
  /** The codec without the hand-written encoders: Jackson's own encoding of the records. */
  private static final ObjectMapper JACKSON = Json.codec().build();

  private static final Sha256 SHA = Sha256.of("a".repeat(64));
  private static final Sha256 ROOT = Sha256.of("0123456789abcdef".repeat(4));

  private static void assertSameAsJackson(Object value) throws Exception {
    // Bytes and strings come from different generators (the UTF-8 one escapes surrogate pairs).
    assertEquals(
        new String(JACKSON.writeValueAsBytes(value), UTF_8), new String(Json.write(value), UTF_8));
    assertEquals(JACKSON.writeValueAsString(value), Json.writeString(value));
  }

  @Test
  void aSearchResponseIsEncodedAsJacksonEncodesTheRecords() throws Exception {
    Source plain = new Source("p1", "10.0.0.2", 6346, Source.url("10.0.0.2", 6346, SHA), false);
    Source relayed =
        new Source(
            "p2",
            "::1",
            1,
            Source.url("::1", 1, SHA),
            true,
            "https://directory.example:8080/",
            1000);
    SearchResult quoted =
        new SearchResult(
            "Grüße \"aus\" \\ Köln \u2028 日本 \uD83C\uDFB5.mp3",
            Long.MAX_VALUE,
            SHA,
            FileType.AUDIO,
            List.of(relayed, plain),
            ROOT);
    SearchResult bare = new SearchResult("a", 0, ROOT, FileType.OTHER, List.of(plain));
    SearchResult none = new SearchResult("b.iso", 7, SHA, FileType.SOFTWARE, List.of());
    assertSameAsJackson(new SearchResponse(List.of(quoted, bare, none), 1234, 50, 3));
    assertSameAsJackson(new SearchResponse(List.of(), 0, 0));
    assertSameAsJackson(new FloodAnswer(List.of(bare, quoted), 2));
    assertSameAsJackson(relayed);
    assertSameAsJackson(quoted);
    assertSameAsJackson(List.of(plain, relayed));
  }

  @Test
  void textOfEveryKindIsEncodedAsJacksonEncodesIt() throws Exception {
    // Plain ASCII is copied as bytes; anything with a quote, a backslash or non-ASCII goes
    // through the generator's escaping. Either way the bytes must be Jackson's.
    String[] pieces = {
      "a",
      "Z",
      "0",
      " ",
      "~",
      "\"",
      "\\",
      "/",
      "é",
      "ÿ",
      "\u0100",
      "\u2028",
      "日",
      "\uD83C\uDFB5",
      "%20"
    };
    Random random = new Random(7);
    List<SearchResult> results = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      StringBuilder name = new StringBuilder("n");
      StringBuilder peer = new StringBuilder("p");
      for (int j = random.nextInt(40); j > 0; j--) {
        name.append(pieces[random.nextInt(pieces.length)]);
        peer.append(pieces[random.nextInt(i % 2 == 0 ? 7 : pieces.length)]);
      }
      Source source =
          new Source(peer.toString(), "10.0.0.1", 80, "http://10.0.0.1:80/" + name, i % 3 == 0);
      results.add(new SearchResult(name.toString(), i, SHA, FileType.OTHER, List.of(source)));
    }
    assertSameAsJackson(new SearchResponse(results, results.size(), 0, 1));
  }

  @Test
  void whatIsWrittenReadsBackEqual() {
    Source relayed =
        new Source("p2", "10.0.0.3", 80, Source.url("10.0.0.3", 80, SHA), true, "http://d/", 7);
    SearchResponse page =
        new SearchResponse(
            List.of(new SearchResult("x y.ogg", 3, SHA, FileType.AUDIO, List.of(relayed), ROOT)),
            1,
            0,
            2);
    assertEquals(page, Json.read(Json.write(page), SearchResponse.class));
  }
}
