package dev.swarmdex.engine.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ResultMergeTest {
  private static final Sha256 A = sha('a');
  private static final Sha256 B = sha('b');
  private static final Sha256 C = sha('c');

  @Test
  void unitesTheSourcesOfOneContentFromDifferentDirectories() {
    List<SearchResult> own = List.of(result("song.mp3", A, source("p1", false)));
    List<SearchResult> fromX = List.of(result("Song (copy).mp3", A, source("p2", false)));
    List<SearchResult> fromY = List.of(result("song.mp3", A, source("p3", true)));

    List<SearchResult> merged = ResultMerge.merge(List.of(own, fromX, fromY), 10);

    assertEquals(1, merged.size());
    assertEquals("song.mp3", merged.get(0).name(), "named from its best position, own first");
    assertEquals(List.of("p1", "p2", "p3"), peers(merged.get(0)));
  }

  @Test
  void noPeerTwiceAndReachableSourcesFirst() {
    List<SearchResult> own = List.of(result("f", A, source("p1", true), source("p2", false)));
    List<SearchResult> other =
        List.of(result("f", A, source("p2", false), source("p3", false), source("p1", true)));

    SearchResult merged = ResultMerge.merge(List.of(own, other), 10).get(0);

    assertEquals(List.of("p2", "p3", "p1"), peers(merged));
  }

  @Test
  void aReachableCopyOfAPeerReplacesAFirewalledOne() {
    List<SearchResult> own = List.of(result("f", A, source("p1", true)));
    List<SearchResult> other = List.of(result("f", A, source("p1", false)));

    Source only = ResultMerge.merge(List.of(own, other), 10).get(0).sources().get(0);

    assertEquals(false, only.firewalled());
  }

  @Test
  void ranksByNetworksThenBestPositionThenSha() {
    // C: 1 source at position 0; B: 2 sources at position 1; A: 1 source at position 1.
    List<SearchResult> own =
        List.of(result("c", C, source("p1", false)), result("b", B, source("p2", false)));
    List<SearchResult> other =
        List.of(result("b", B, source("p3", false)), result("a", A, source("p4", false)));
    List<SearchResult> third = List.of(result("c2", C, source("p1", false)));

    List<SearchResult> merged = ResultMerge.merge(List.of(own, other, third), 10);

    assertEquals(List.of("b", "c", "a"), merged.stream().map(SearchResult::name).toList());
  }

  @Test
  void identitiesOnOneNetworkDoNotOutrankAFileSharedFromSeveral() {
    // The directory asked holds twenty identities of one address sharing a fake at its best
    // position; a neighbour has the real file from three networks.
    List<Source> sybils = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sybils.add(sourceAt("sybil" + i, "192.0.2." + (i + 2), false));
    }
    List<SearchResult> own = List.of(result("ubuntu-24.04.iso", A, sybils.toArray(Source[]::new)));
    List<SearchResult> other =
        List.of(
            result(
                "ubuntu-24.04.iso",
                B,
                sourceAt("h1", "198.51.100.7", false),
                sourceAt("h2", "203.0.113.7", false),
                sourceAt("h3", "2001:db8:1::7", false)));

    List<SearchResult> merged = ResultMerge.merge(List.of(own, other), 10);

    assertEquals(List.of(B, A), shas(merged));
    assertEquals(3, merged.get(0).networks());
    assertEquals(1, merged.get(1).networks());
    assertEquals(20, merged.get(1).sources().size());
  }

  @Test
  void networksAreCountedOverTheUnitedSourcesNotTakenFromAnAnswer() {
    // The same /24 seen through two directories is one network; a neighbour's claim is recounted.
    SearchResult here = result("f", A, sourceAt("p1", "192.0.2.1", false));
    SearchResult there = result("f", A, sourceAt("p2", "192.0.2.2", false));
    SearchResult claimed =
        new SearchResult(
            "g",
            1234,
            B,
            FileType.AUDIO,
            List.of(sourceAt("q1", "198.51.100.1", false), sourceAt("q2", "198.51.100.2", false)),
            2,
            null);

    List<SearchResult> merged =
        ResultMerge.merge(List.of(List.of(here), List.of(there), List.of(claimed)), 10);

    assertEquals(List.of(1, 1), merged.stream().map(SearchResult::networks).toList());
  }

  @Test
  void equalSourcesAndPositionFallBackToSha() {
    List<SearchResult> own = List.of(result("second", B, source("p1", false)));
    List<SearchResult> other = List.of(result("first", A, source("p2", false)));

    List<SearchResult> merged = ResultMerge.merge(List.of(own, other), 10);

    assertEquals(List.of(A, B), merged.stream().map(SearchResult::sha256).toList());
  }

  @Test
  void limitAndMissingAnswers() {
    List<SearchResult> own =
        List.of(result("a", A, source("p1", false)), result("b", B, source("p1", false)));
    List<List<SearchResult>> answers = new ArrayList<>(Arrays.asList(own, null));
    assertEquals(1, ResultMerge.merge(answers, 1).size());
    assertEquals(List.of(), ResultMerge.merge(answers, 0));
    assertEquals(List.of(), ResultMerge.merge(List.of(), 10));
    assertThrows(IllegalArgumentException.class, () -> ResultMerge.merge(List.of(), -1));
  }

  @Test
  void higherReputationBreaksTiesAndOrdersSources() {
    // Each directory's best hit is at position 0 with one source: the trusted source's file wins.
    List<SearchResult> own = List.of(result("f", A, source("newcomer", false)));
    List<SearchResult> other =
        List.of(result("g", B, source("trusted", false).withReputation(400)));
    assertEquals(List.of(B, A), shas(ResultMerge.merge(List.of(own, other), 10)));

    List<SearchResult> both =
        List.of(
            result(
                "f",
                A,
                source("low", false).withReputation(10),
                source("hidden", true).withReputation(900),
                source("high", false).withReputation(700)));
    // The same peer known better elsewhere keeps the better-informed level.
    List<SearchResult> again = List.of(result("f", A, source("low", false).withReputation(800)));
    SearchResult merged = ResultMerge.merge(List.of(both, again), 10).get(0);
    assertEquals(List.of("low", "high", "hidden"), peers(merged), "reachable first, then level");
    assertEquals(800, merged.sources().get(0).reputation());
  }

  @Test
  void aPopularContentKeepsEachPeerOnceInTheOrderFirstSeen() {
    // More sources than a group scans one by one: the same rules through its map of positions.
    List<Source> many = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add(source("p" + i, true));
      expected.add("p" + i);
    }
    List<SearchResult> own = List.of(result("f", A, many.toArray(Source[]::new)));
    List<SearchResult> other =
        List.of(result("f", A, source("p30", false), source("p2", true), source("q", true)));

    SearchResult merged = ResultMerge.merge(List.of(own, other), 10).get(0);

    expected.remove("p30");
    expected.add(0, "p30"); // now reachable: first
    expected.add("q");
    assertEquals(expected, peers(merged));
    assertEquals(false, merged.sources().get(0).firewalled());
  }

  @Test
  void aResultNothingChangedIsPassedOnAsItIs() {
    SearchResult only = result("f", A, source("p1", false), source("p2", true));
    assertEquals(List.of(only), ResultMerge.merge(List.of(List.of(only)), 10));
  }

  private static List<Sha256> shas(List<SearchResult> results) {
    return results.stream().map(SearchResult::sha256).toList();
  }

  private static List<String> peers(SearchResult result) {
    return result.sources().stream().map(Source::peer).toList();
  }

  private static SearchResult result(String name, Sha256 sha, Source... sources) {
    return new SearchResult(name, 1234, sha, FileType.AUDIO, List.of(sources));
  }

  /** Each test peer on a network of its own: 10.0.N.1, N in order of first use. */
  private static final Map<String, Integer> NETWORKS = new ConcurrentHashMap<>();

  private static Source source(String peer, boolean firewalled) {
    int network = NETWORKS.computeIfAbsent(peer, p -> NETWORKS.size() + 1);
    return sourceAt(peer, "10.0." + network + ".1", firewalled);
  }

  private static Source sourceAt(String peer, String ip, boolean firewalled) {
    return new Source(peer, ip, 6346, "http://" + ip + ":6346/files/x", firewalled);
  }

  private static Sha256 sha(char digit) {
    return new Sha256(String.valueOf(digit).repeat(64));
  }
}
