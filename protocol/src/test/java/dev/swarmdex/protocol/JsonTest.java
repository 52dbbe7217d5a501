package dev.swarmdex.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static final String SHA = "a".repeat(64);

  private static <T> String error(String json, Class<T> type) {
    return assertThrows(MalformedJsonException.class, () -> Json.read(json.getBytes(UTF_8), type))
        .getMessage();
  }

  @Test
  void roundTripsAFileListWithContentIdsAsPlainStrings() {
    FileList list = new FileList(List.of(new SharedFile("Song.mp3", 42, Sha256.of(SHA))));
    String json = new String(Json.write(list), UTF_8);
    assertEquals(
        "{\"files\":[{\"name\":\"Song.mp3\",\"size\":42,\"sha256\":\"" + SHA + "\"}]}", json);
    assertEquals(list, Json.read(json.getBytes(UTF_8), FileList.class));
  }

  @Test
  void aMeshJoinSaysWhetherTheSupernodeServesHttpsAndDefaultsToPlain() {
    MeshJoin tls = new MeshJoin("sn1", 8443, true);
    String json = new String(Json.write(tls), UTF_8);
    assertEquals("{\"name\":\"sn1\",\"port\":8443,\"tls\":true}", json);
    assertEquals(tls, Json.read(json.getBytes(UTF_8), MeshJoin.class));
    assertEquals(
        new MeshJoin("sn1", 8081),
        Json.read("{\"name\":\"sn1\",\"port\":8081}".getBytes(UTF_8), MeshJoin.class));
  }

  @Test
  void treeRootIsOptionalOnTheWireAndRoundTrips() {
    Sha256 root = Sha256.of("b".repeat(64));
    SharedFile with = new SharedFile("Song.mp3", 42, Sha256.of(SHA), root);
    String json = new String(Json.write(with), UTF_8);
    assertEquals(
        "{\"name\":\"Song.mp3\",\"size\":42,\"sha256\":\""
            + SHA
            + "\",\"treeRoot\":\""
            + root
            + "\"}",
        json);
    assertEquals(with, Json.read(json.getBytes(UTF_8), SharedFile.class));
    String old = "{\"name\":\"Song.mp3\",\"size\":42,\"sha256\":\"" + SHA + "\"}";
    assertEquals(
        new SharedFile("Song.mp3", 42, Sha256.of(SHA)),
        Json.read(old.getBytes(UTF_8), SharedFile.class));
    SearchResult result =
        new SearchResult("Song.mp3", 42, Sha256.of(SHA), FileType.AUDIO, List.of(), root);
    assertEquals(result, Json.read(Json.write(result), SearchResult.class));
    String noRoot =
        new String(
            Json.write(new SearchResult("Song.mp3", 42, Sha256.of(SHA), FileType.AUDIO, List.of())),
            UTF_8);
    assertTrue(!noRoot.contains("treeRoot"), noRoot);
  }

  @Test
  void aResultCarriesHowManyNetworksItsSourcesAreOn() {
    Source a =
        new Source("p1", "10.0.0.2", 6346, Source.url("10.0.0.2", 6346, Sha256.of(SHA)), false);
    Source b =
        new Source("p2", "10.0.0.3", 6346, Source.url("10.0.0.3", 6346, Sha256.of(SHA)), false);
    Source c =
        new Source("p3", "10.0.1.3", 6346, Source.url("10.0.1.3", 6346, Sha256.of(SHA)), false);
    SearchResult result =
        new SearchResult("Song.mp3", 42, Sha256.of(SHA), FileType.AUDIO, List.of(a, b, c));
    assertEquals(2, result.networks(), "10.0.0.x is one network, 10.0.1.x another");
    String json = new String(Json.write(result), UTF_8);
    assertTrue(json.contains("}],\"networks\":2}"), json);
    assertEquals(result, Json.read(json.getBytes(UTF_8), SearchResult.class));
    assertEquals(
        result,
        Json.read(json.replace(",\"networks\":2", "").getBytes(UTF_8), SearchResult.class),
        "counted from the sources when absent");
    assertTrue(
        error(json.replace("\"networks\":2", "\"networks\":4"), SearchResult.class)
            .contains("networks"));
    assertTrue(
        error(json.replace("\"networks\":2", "\"networks\":0"), SearchResult.class)
            .contains("networks"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SearchResult("a", 1, Sha256.of(SHA), FileType.OTHER, List.of(), 1, null));
  }

  @Test
  void aSourcesViaIsOptionalOnTheWireAndNamesItsRelay() {
    String url = Source.url("10.0.0.2", 6346, Sha256.of(SHA));
    String old =
        "{\"peer\":\"p1\",\"ip\":\"10.0.0.2\",\"port\":6346,\"url\":\""
            + url
            + "\",\"firewalled\":true}";
    Source without = Json.read(old.getBytes(UTF_8), Source.class);
    assertEquals(new Source("p1", "10.0.0.2", 6346, url, true), without);
    assertEquals(
        old.replace("}", ",\"reputation\":0}"),
        new String(Json.write(without), UTF_8),
        "no via: absent, not null; an unknown reputation is 0");
    assertEquals(null, without.relayUrl(Sha256.of(SHA)));

    Source with = new Source("p1", "10.0.0.2", 6346, url, true, "http://10.0.0.1:8080/");
    assertEquals(with, Json.read(Json.write(with), Source.class));
    assertEquals("http://10.0.0.1:8080/api/v1/relay/p1/" + SHA, with.relayUrl(Sha256.of(SHA)));
    assertTrue(error(old.replace("}", ",\"via\":\"file:///etc\"}"), Source.class).contains("via"));
    assertEquals(640, Json.read(Json.write(with.withReputation(640)), Source.class).reputation());
    assertTrue(
        error(old.replace("}", ",\"reputation\":1001}"), Source.class).contains("reputation"));
  }

  @Test
  void pushRequestsCarryAnOptionalHttpCallback() {
    PushRequest relay = new PushRequest("r1", Sha256.of(SHA), 0, 9);
    assertEquals(relay, Json.read(Json.write(relay), PushRequest.class));
    assertTrue(!new String(Json.write(relay), UTF_8).contains("callback"));
    PushRequest push = new PushRequest("r1", Sha256.of(SHA), 0, 9, "http://10.0.0.9:4000/push/x");
    assertEquals(push, Json.read(Json.write(push), PushRequest.class));
    assertEquals(10, push.length());
    assertEquals("10.0.0.9", new PushOrder("http://10.0.0.9:4000/push/x", 0, 9).callbackHost());
    error("{\"callback\":\"http://x/push\",\"first\":0,\"last\":9}", PushOrder.class);
    error("{\"callback\":\"http://x:1/p\",\"first\":5,\"last\":4}", PushOrder.class);
    for (String callback :
        List.of(
            "http://10.0.0.9:70000/push/x",
            "http://10.0.0.9:0/push/x",
            "http://10.0.0.9/push/x",
            "http://10.0.0.9:4000@10.0.0.8:4000/push/x",
            "http://10.0.0.9:4000/push/x?a=b",
            "http://10.0.0.9:4000/push/x#f",
            "http://10.0.0.9:4000/files/x",
            "http://host.example:4000/push/x",
            "http://10.0.0.256:4000/push/x")) {
      error("{\"callback\":\"" + callback + "\",\"first\":0,\"last\":9}", PushOrder.class);
    }
    assertEquals("::1", new PushOrder("http://[::1]:65535/push/x", 0, 9).callbackHost());
  }

  @Test
  void chunkListMustBeCompleteAndMatchItsRoot() {
    HashTree tree = HashTree.of(3L << 20, List.of(Sha256.of(SHA), Sha256.of(SHA), Sha256.of(SHA)));
    ChunkList list = tree.toChunkList();
    assertEquals(list, Json.read(Json.write(list), ChunkList.class));
    String wrongRoot =
        new String(Json.write(list), UTF_8).replace(tree.root().hex(), "c".repeat(64));
    assertTrue(error(wrongRoot, ChunkList.class).contains("root"));
    String missing = new String(Json.write(list), UTF_8).replaceFirst("\"" + SHA + "\",", "");
    assertTrue(error(missing, ChunkList.class).contains("chunks"));
  }

  @Test
  void unknownFieldIsNamed() {
    String message =
        error(
            "{\"name\":\"a\",\"port\":1,\"capacityKiBps\":0,\"ip\":\"6.6.6.6\"}",
            JoinRequest.class);
    assertEquals("unknown field 'ip'", message);
  }

  @Test
  void invalidHashSaysWhereAndWhat() {
    String message =
        error("{\"files\":[{\"name\":\"a\",\"size\":1,\"sha256\":\"xyz\"}]}", FileList.class);
    assertTrue(message.contains("files[0].sha256"), message);
    assertTrue(message.contains("64"), message);
  }

  @Test
  void pathsAreNotFileNames() {
    String message =
        error(
            "{\"files\":[{\"name\":\"../etc/passwd\",\"size\":1,\"sha256\":\"" + SHA + "\"}]}",
            FileList.class);
    assertTrue(message.contains("not a path"), message);
  }

  @Test
  void malformedEmptyNullAndTrailingBodiesAreRejected() {
    assertTrue(error("{\"name\":", JoinRequest.class).startsWith("malformed JSON"));
    assertThrows(MalformedJsonException.class, () -> Json.read(new byte[0], JoinRequest.class));
    assertTrue(error("null", JoinRequest.class).contains("null"));
    assertTrue(
        error("{\"name\":\"a\",\"port\":1,\"capacityKiBps\":0} {}", JoinRequest.class).length()
            > 0);
  }

  @Test
  void missingPrimitiveAndWrongTypesAreRejected() {
    assertTrue(error("{\"name\":\"a\",\"capacityKiBps\":0}", JoinRequest.class).contains("port"));
    assertTrue(
        error("{\"name\":\"a\",\"port\":1.5,\"capacityKiBps\":0}", JoinRequest.class)
            .contains("port"));
    assertTrue(
        error("{\"name\":\"a\",\"port\":70000,\"capacityKiBps\":0}", JoinRequest.class)
            .contains("port"));
  }

  @Test
  void tooManyEntriesInOnePublishAreRefusedWithTheLimit() {
    StringBuilder json = new StringBuilder("{\"added\":[],\"removed\":[");
    for (int i = 0; i <= Limits.MAX_ENTRIES_PER_PUBLISH; i++) {
      json.append(i == 0 ? "" : ",").append('"').append(SHA).append('"');
    }
    json.append("]}");
    String message = error(json.toString(), FileChanges.class);
    assertTrue(message.contains(String.valueOf(Limits.MAX_ENTRIES_PER_PUBLISH)), message);
  }

  @Test
  void deeplyNestedInputIsRefused() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    assertThrows(
        MalformedJsonException.class,
        () -> Json.read(("{\"files\":" + deep + "}").getBytes(UTF_8), FileList.class));
  }

  @Test
  void answersMayCarryFieldsThisVersionDoesNotKnowRequestsMayNot() {
    String newer = "{\"error\":\"busy\",\"code\":\"busy\",\"fromTheFuture\":true}";
    assertEquals("busy", Json.readAnswer(newer.getBytes(UTF_8), ErrorBody.class).error());
    assertEquals("unknown field 'fromTheFuture'", error(newer, ErrorBody.class));
    assertThrows(
        MalformedJsonException.class,
        () -> Json.readAnswer("{\"error\":".getBytes(UTF_8), ErrorBody.class));
  }
}
