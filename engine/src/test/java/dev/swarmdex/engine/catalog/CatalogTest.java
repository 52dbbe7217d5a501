package dev.swarmdex.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.FileType;
import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.SourceNetworks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
  @TempDir Path dir;
  private Catalog catalog;

  @BeforeEach
  void open() throws IOException {
    catalog = Catalog.open(dir.resolve("catalog"));
  }

  @AfterEach
  void close() {
    catalog.close();
  }

  static Sha256 sha(String content) {
    try {
      return Sha256.ofDigest(
          MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static SharedFile file(String name, long size) {
    return new SharedFile(name, size, sha(name + size));
  }

  private List<String> names(String text) {
    return catalog.search(SearchQuery.of(text)).hits().stream().map(Hit::name).toList();
  }

  @Test
  void sourcesCountByTheNetworkEachPeerPublishedFrom() {
    Sha256 fake = Sha256.of("1".repeat(64)); // would win a tie on the content id
    Sha256 honest = Sha256.of("e".repeat(64));
    long sybils = SourceNetworks.of("127.0.9.2");
    for (int i = 0; i < 20; i++) {
      catalog.replace(
          "sybil" + i,
          sybils,
          List.of(new SharedFile("ubuntu-24.04.iso", 1, fake)),
          PublishWait.SEARCHABLE);
    }
    catalog.replace(
        "h1",
        SourceNetworks.of("127.0.1.2"),
        List.of(new SharedFile("ubuntu-24.04.iso", 1, honest)),
        PublishWait.SEARCHABLE);
    catalog.apply(
        "h2",
        SourceNetworks.of("127.0.2.2"),
        List.of(new SharedFile("ubuntu-24.04.iso", 1, honest)),
        List.of(),
        PublishWait.SEARCHABLE);

    List<Hit> hits = catalog.search(SearchQuery.of("ubuntu iso")).hits();

    assertEquals(List.of(honest, fake), hits.stream().map(Hit::sha256).toList());
    assertEquals(List.of(2, 1), hits.stream().map(Hit::networks).toList());
    assertEquals(20, hits.get(1).peers().size());
    assertEquals(
        Optional.of(2), catalog.locate(honest).map(Hit::networks), "a lookup counts them too");
  }

  @Test
  void publishedFilesAreFoundWithTheirPeer() {
    SharedFile jude = file("The_Beatles-HeyJude(1968).mp3", 7_100_000);
    assertEquals(2, catalog.replace("alice", List.of(jude, file("notes.txt", 10))));

    CatalogHits found = catalog.search(SearchQuery.of("beatles hey jude"));

    assertEquals(1, found.total());
    Hit hit = found.hits().get(0);
    assertEquals("The_Beatles-HeyJude(1968).mp3", hit.name());
    assertEquals(7_100_000, hit.size());
    assertEquals(jude.sha256(), hit.sha256());
    assertEquals(FileType.AUDIO, hit.type());
    assertEquals(List.of("alice"), hit.peers());
    assertTrue(hit.score() > 0);
  }

  @Test
  void aRepeatedQueryIsAnsweredFromTheCacheUntilTheIndexChanges() {
    catalog.replace("alice", List.of(file("Moby - Porcelain.mp3", 5_000_000)));
    SearchQuery porcelain = SearchQuery.of("porcelain");

    CatalogHits first = catalog.search(porcelain);
    CatalogHits again = catalog.search(porcelain);

    assertEquals(List.of("alice"), first.hits().get(0).peers());
    assertEquals(first, again);
    long[] counters = catalog.cacheCounters();
    assertEquals(1, counters[0], "the second search came from the cache");
    assertEquals(1, counters[1], "the first one searched");

    // Any change makes the next search see the new index, not the cached answer.
    catalog.apply("bob", List.of(file("Moby - Porcelain.mp3", 5_000_000)), List.of());
    assertEquals(List.of("alice", "bob"), catalog.search(porcelain).hits().get(0).peers());
    catalog.removePeer("alice");
    assertEquals(List.of("bob"), catalog.search(porcelain).hits().get(0).peers());
    catalog.apply("bob", List.of(), List.of(file("Moby - Porcelain.mp3", 5_000_000).sha256()));
    assertEquals(0, catalog.search(porcelain).total());
  }

  @Test
  void mergesStartedByManySmallPublishesCanBeWaitedFor() throws InterruptedException {
    assertTrue(catalog.awaitMerges(Duration.ZERO), "a fresh catalog merges nothing");
    // Each publish is searchable when it answers, so each flushes a segment of its own: 40 are
    // more than one merge tier holds, so merges start.
    for (int i = 0; i < 40; i++) {
      catalog.replace("peer-" + i, List.of(file("tier merge sample " + i + ".txt", 10 + i)));
    }

    assertTrue(catalog.awaitMerges(Duration.ofMinutes(1)), "merges finished within a minute");
    assertTrue(catalog.awaitMerges(Duration.ZERO), "and none started again");
    assertEquals(40, catalog.search(SearchQuery.of("tier merge").withPage(50, 0)).hits().size());
  }

  @Test
  void treeRootIsKeptAndReturnedFromTheBestEntry() {
    Sha256 root = sha("root");
    SharedFile rooted = new SharedFile("Rooted.iso", 5, sha("rooted"), root);
    SharedFile old = file("Old.iso", 6);
    catalog.replace("alice", List.of(rooted, old));
    catalog.apply("bob", List.of(new SharedFile("Rooted.iso", 5, sha("rooted"))), List.of());

    assertEquals(root, catalog.search(SearchQuery.of("rooted")).hits().get(0).treeRoot());
    assertEquals(root, catalog.locate(sha("rooted")).orElseThrow().treeRoot());
    assertEquals(null, catalog.locate(old.sha256()).orElseThrow().treeRoot());
    assertEquals(
        List.of(old, rooted),
        catalog.browse("alice", 10, 0).files().stream()
            .sorted(java.util.Comparator.comparing(SharedFile::name))
            .toList());
  }

  @Test
  void wordsAreFoundTheWayPeopleTypeThem() {
    catalog.replace(
        "alice",
        List.of(
            file("Café del Mar - 03 Entrée.flac", 1),
            file("PowerPoint2007.exe", 2),
            file("debian-12.2.0-amd64-netinst.iso", 3)));

    assertEquals(List.of("Café del Mar - 03 Entrée.flac"), names("cafe entree"));
    assertEquals(List.of("Café del Mar - 03 Entrée.flac"), names("CAFÉ"));
    assertEquals(List.of("PowerPoint2007.exe"), names("powerpoint "));
    assertEquals(List.of("PowerPoint2007.exe"), names("power point 2007 "));
    assertEquals(List.of("PowerPoint2007.exe"), names("powerpoint2007 "));
    assertEquals(List.of("debian-12.2.0-amd64-netinst.iso"), names("debian 12 amd64 "));
  }

  @Test
  void theLastWordIsAPrefixUnlessFollowedBySpace() {
    catalog.replace("alice", List.of(file("Hey Jude.mp3", 1)));

    assertEquals(List.of("Hey Jude.mp3"), names("hey ju"));
    assertEquals(List.of(), names("hey ju "));
    assertEquals(List.of(), names("he jude"));
  }

  @Test
  void prefixesOfEveryLengthFindTheSameWords() {
    catalog.replace(
        "alice",
        List.of(
            file("Hey Jude.mp3", 1),
            file("Judeaalbumcollection.zip", 2),
            file("PowerPoint2007.exe", 3),
            file("\uD840\uDC00abcdefgh.txt", 4)));

    assertEquals(
        List.of("Hey Jude.mp3", "Judeaalbumcollection.zip"),
        names("ju").stream().sorted().toList());
    assertEquals(List.of("Hey Jude.mp3", "Judeaalbumcollection.zip"), names("jude"));
    assertEquals(List.of("Judeaalbumcollection.zip"), names("judeaa"));
    assertEquals(List.of("Judeaalbumcollection.zip"), names("judeaal"));
    assertEquals(List.of("Judeaalbumcollection.zip"), names("judeaalbumcol"));
    assertEquals(List.of(), names("judeaalbumx"));
    assertEquals(List.of("PowerPoint2007.exe"), names("poi"));
    assertEquals(List.of("PowerPoint2007.exe"), names("power point 20"));
    assertEquals(List.of("\uD840\uDC00abcdefgh.txt"), names("\uD840\uDC00abcd"));
    assertEquals(List.of("\uD840\uDC00abcdefgh.txt"), names("\uD840\uDC00abcde"));
    assertEquals(List.of("\uD840\uDC00abcdefgh.txt"), names("\uD840\uDC00abcdef"));
  }

  @Test
  void exactWordRanksAbovePrefixMatch() {
    catalog.replace("alice", List.of(file("Jude.mp3", 1), file("Judea Pearl.pdf", 2)));

    assertEquals(List.of("Jude.mp3", "Judea Pearl.pdf"), names("jude"));
  }

  @Test
  void everyWordMustMatch() {
    catalog.replace(
        "alice", List.of(file("Hey Jude.mp3", 1), file("Hey There.mp3", 2), file("Jude.ogg", 3)));

    assertEquals(List.of("Hey Jude.mp3"), names("hey jude"));
    assertEquals(List.of(), names("hey jude yesterday"));
  }

  @Test
  void hostileTextIsSearchedAsWords() {
    catalog.replace("alice", List.of(file("foo and bar (live).mp3", 1)));

    assertEquals(List.of("foo and bar (live).mp3"), names("foo AND ("));
    assertEquals(List.of(), names("name:foo"));
    assertEquals(List.of("foo and bar (live).mp3"), names("\"foo\"~ bar* (LIVE)"));
  }

  @Test
  void textWithoutWordsIsRejected() {
    var e =
        assertThrows(IllegalArgumentException.class, () -> catalog.search(SearchQuery.of("*~")));
    assertEquals("q has no words: type letters or digits", e.getMessage());
  }

  @Test
  void replaceDropsWhatIsNoLongerListed() {
    catalog.replace("alice", List.of(file("Old Song.mp3", 5), file("Kept.mp3", 6)));
    assertEquals(2, catalog.replace("alice", List.of(file("Kept.mp3", 6), file("New.mp3", 7))));

    assertEquals(List.of(), names("old song"));
    assertEquals(List.of("Kept.mp3"), names("kept"));
    assertEquals(List.of("New.mp3"), names("new"));
    assertEquals(new CatalogTotals(2, 13), catalog.totals());
  }

  @Test
  void sameContentTwiceInOneListCountsOnceAndTheLastNameWins() {
    Sha256 sha = sha("one");
    int entries =
        catalog.replace(
            "alice",
            List.of(new SharedFile("First.mp3", 4, sha), new SharedFile("Second.mp3", 4, sha)));

    assertEquals(1, entries);
    assertEquals(List.of(), names("first"));
    assertEquals(List.of("Second.mp3"), names("second"));
    assertEquals(new CatalogTotals(1, 4), catalog.totals());
  }

  @Test
  void applyAddsRemovesAndReplaces() {
    SharedFile a = file("Alpha.mp3", 10);
    SharedFile b = file("Bravo.mp3", 20);
    catalog.replace("alice", List.of(a, b));

    SharedFile renamedA = new SharedFile("Alpha Remastered.mp3", 11, a.sha256());
    int entries =
        catalog.apply(
            "alice",
            List.of(renamedA, file("Charlie.mp3", 30)),
            List.of(b.sha256(), sha("unknown")));

    assertEquals(2, entries);
    assertEquals(2, catalog.entries("alice"));
    assertEquals(List.of(), names("bravo"));
    assertEquals(List.of("Charlie.mp3"), names("charlie"));
    CatalogHits alpha = catalog.search(SearchQuery.of("alpha"));
    assertEquals(1, alpha.total());
    assertEquals("Alpha Remastered.mp3", alpha.hits().get(0).name());
    assertEquals(11, alpha.hits().get(0).size());
    assertEquals(new CatalogTotals(2, 41), catalog.totals());
  }

  @Test
  void anAcceptedWriteIsCountedAtOnceAndSearchableAfterTheNextRefresh()
      throws InterruptedException {
    SharedFile a = file("Accepted Alpha.mp3", 10);
    SharedFile b = file("Accepted Bravo.mp3", 20);
    assertEquals(2, catalog.replace("alice", List.of(a, b), PublishWait.ACCEPTED));
    assertEquals(new CatalogTotals(2, 30), catalog.totals(), "counted before it is searchable");

    // The peer's next change reads its entries from the index: it must see the accepted ones, or
    // it would add Alpha a second time and fail to remove Bravo.
    SharedFile renamed = new SharedFile("Accepted Alpha Remastered.mp3", 11, a.sha256());
    assertEquals(
        1, catalog.apply("alice", List.of(renamed), List.of(b.sha256()), PublishWait.ACCEPTED));
    assertEquals(new CatalogTotals(1, 11), catalog.totals());

    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!names("accepted").equals(List.of("Accepted Alpha Remastered.mp3"))
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(List.of("Accepted Alpha Remastered.mp3"), names("accepted"));
    assertEquals(1, catalog.search(SearchQuery.of("accepted")).total(), "no duplicate entry");
    assertEquals(1, catalog.browse("alice", 10, 0).total());
  }

  @Test
  void anAcceptedWriteWaitsForSearchesWhenTheyHaveFallenBehind(@TempDir Path other)
      throws Exception {
    // Searches count as behind at once: every accepted write then waits as a searchable one does.
    try (Catalog behind =
        Catalog.open(other.resolve("catalog"), Duration.ZERO, Catalog.HEAL_EVERY)) {
      SharedFile file = file("Behind Schedule.mp3", 10);
      assertEquals(1, behind.replace("alice", List.of(file), PublishWait.ACCEPTED));
      assertEquals(
          List.of("Behind Schedule.mp3"),
          behind.search(SearchQuery.of("behind schedule")).hits().stream().map(Hit::name).toList(),
          "searchable as soon as the write returned");
    }
  }

  @Test
  void applyRemovesFirstThenAdds() {
    SharedFile a = file("Alpha.mp3", 10);
    catalog.replace("alice", List.of(a));

    assertEquals(1, catalog.apply("alice", List.of(a), List.of(a.sha256())));
    assertEquals(List.of("Alpha.mp3"), names("alpha"));
  }

  @Test
  void applyChangesOnlyThePeersOwnEntryOfAContentOthersShareToo() {
    SharedFile shared = new SharedFile("Hey Jude.mp3", 7, sha("shared"));
    catalog.replace("alice", List.of(shared, file("Alpha.mp3", 1)));
    catalog.replace("bob", List.of(shared));

    catalog.apply(
        "alice", List.of(new SharedFile("Hey Jude (live).mp3", 8, shared.sha256())), List.of());
    Hit hit = catalog.locate(shared.sha256()).orElseThrow();
    assertEquals(List.of("alice", "bob"), hit.peers().stream().sorted().toList());
    assertEquals(new CatalogTotals(3, 16), catalog.totals());
    assertEquals(
        List.of(new SharedFile("Hey Jude.mp3", 7, shared.sha256())),
        catalog.browse("bob", 10, 0).files());

    assertEquals(0, catalog.apply("bob", List.of(), List.of(shared.sha256())));
    assertEquals(List.of("alice"), catalog.locate(shared.sha256()).orElseThrow().peers());
    assertEquals(0, catalog.entries("bob"));
    assertEquals(new CatalogTotals(2, 9), catalog.totals());
  }

  @Test
  void contentsSharingTheirFirstBytesStayApart() {
    // Content ids that differ only at the end (a keyed bucket may still put them together: the
    // doc value tells them apart).
    Sha256 one = new Sha256("abcd" + "0".repeat(60));
    Sha256 two = new Sha256("abcd" + "1".repeat(60));
    catalog.replace("alice", List.of(new SharedFile("One.mp3", 1, one)));
    catalog.replace("bob", List.of(new SharedFile("Two.mp3", 2, two)));
    catalog.apply("alice", List.of(new SharedFile("Two (copy).mp3", 2, two)), List.of());

    assertEquals(List.of("alice"), catalog.locate(one).orElseThrow().peers());
    assertEquals(
        List.of("alice", "bob"),
        catalog.locate(two).orElseThrow().peers().stream().sorted().toList());
    assertEquals(Optional.empty(), catalog.locate(new Sha256("abcd" + "2".repeat(60))));

    assertEquals(1, catalog.apply("alice", List.of(), List.of(one)));
    assertEquals(Optional.empty(), catalog.locate(one));
    assertEquals(List.of("Two (copy).mp3"), names("copy"));
    assertEquals(new CatalogTotals(2, 4), catalog.totals());
  }

  @Test
  void browseOrdersNamesThatDifferOnlyInCaseDeterministically() {
    catalog.replace(
        "alice",
        List.of(file("abc.txt", 1), file("ABC.txt", 2), file("Abd.txt", 3), file("abc.txt", 4)));
    assertEquals(
        List.of("ABC.txt", "abc.txt", "abc.txt", "Abd.txt"),
        catalog.browse("alice", 10, 0).files().stream().map(SharedFile::name).toList());
  }

  @Test
  void applyToAnUnknownPeerStartsItsList() {
    assertEquals(0, catalog.apply("bob", List.of(), List.of(sha("nothing"))));
    assertEquals(1, catalog.apply("bob", List.of(file("Delta.mp3", 1)), List.of()));
    assertEquals(1, catalog.entries("bob"));
  }

  @Test
  void removedPeerVanishes() {
    catalog.replace("alice", List.of(file("Hey Jude.mp3", 5)));
    catalog.replace("bob", List.of(file("Help.mp3", 6)));

    catalog.removePeer("alice");

    assertEquals(List.of(), names("jude"));
    assertEquals(List.of("Help.mp3"), names("help"));
    assertEquals(0, catalog.entries("alice"));
    assertEquals(new CatalogPage(List.of(), 0), catalog.browse("alice", 10, 0));
    assertEquals(new CatalogTotals(1, 6), catalog.totals());
    catalog.removePeer("never-seen");
    assertEquals(new CatalogTotals(1, 6), catalog.totals());
  }

  @Test
  void sameContentOnTwoPeersIsOneHitRankedAboveASingleSource() {
    SharedFile shared = new SharedFile("Hey Jude.mp3", 7, sha("shared"));
    SharedFile lonely = new SharedFile("Hey Jude.mp3", 7, sha("lonely"));
    catalog.replace("alice", List.of(lonely));
    catalog.replace("bob", List.of(shared));
    catalog.replace("carol", List.of(shared));

    CatalogHits found = catalog.search(SearchQuery.of("hey jude"));

    assertEquals(2, found.total());
    assertEquals(shared.sha256(), found.hits().get(0).sha256());
    assertEquals(Set.of("bob", "carol"), new HashSet<>(found.hits().get(0).peers()));
    assertEquals(lonely.sha256(), found.hits().get(1).sha256());
    assertEquals(List.of("alice"), found.hits().get(1).peers());
    assertTrue(found.hits().get(0).score() > found.hits().get(1).score());
  }

  @Test
  void locateListsEverySourceOfOneContentWhateverItsName() {
    Sha256 shared = sha("the same bytes");
    catalog.replace("alice", List.of(new SharedFile("Hey Jude.mp3", 7, shared)));
    catalog.replace("bob", List.of(new SharedFile("beatles-hey-jude.mp3", 7, shared)));
    catalog.replace("carol", List.of(file("Let It Be.mp3", 7)));

    Hit hit = catalog.locate(shared).orElseThrow();
    assertEquals(shared, hit.sha256());
    assertEquals(7, hit.size());
    assertEquals(java.util.Set.of("alice", "bob"), java.util.Set.copyOf(hit.peers()));

    catalog.removePeer("alice");
    assertEquals(List.of("bob"), catalog.locate(shared).orElseThrow().peers());
    catalog.removePeer("bob");
    assertTrue(catalog.locate(shared).isEmpty(), "no peer holds it any more");
  }

  @Test
  void typeAndSizeFiltersNarrowTheResults() {
    catalog.replace(
        "alice",
        List.of(
            file("Jude.mp3", 5_000_000),
            file("Jude.mkv", 700_000_000),
            file("Jude.txt", 2_000),
            file("Jude small.mp3", 1_000)));

    List<String> audio =
        catalog.search(SearchQuery.of("jude").withType(FileType.AUDIO)).hits().stream()
            .map(Hit::name)
            .toList();
    assertEquals(Set.of("Jude.mp3", "Jude small.mp3"), new HashSet<>(audio));

    List<String> big =
        catalog.search(SearchQuery.of("jude").withSize(5_000_000L, 700_000_000L)).hits().stream()
            .map(Hit::name)
            .toList();
    assertEquals(Set.of("Jude.mp3", "Jude.mkv"), new HashSet<>(big));

    List<String> bigAudio =
        catalog
            .search(SearchQuery.of("jude").withType(FileType.AUDIO).withSize(2_000L, null))
            .hits()
            .stream()
            .map(Hit::name)
            .toList();
    assertEquals(List.of("Jude.mp3"), bigAudio);
  }

  @Test
  void pagesDoNotOverlapAndCoverEveryHit() {
    List<SharedFile> files = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      files.add(file("Live Track " + i + ".mp3", i));
    }
    catalog.replace("alice", files);

    Set<Sha256> seen = new HashSet<>();
    for (int offset = 0; offset < 45; offset += 10) {
      CatalogHits page = catalog.search(SearchQuery.of("live track").withPage(10, offset));
      assertEquals(45, page.total());
      assertEquals(Math.min(10, 45 - offset), page.hits().size());
      for (Hit hit : page.hits()) {
        assertTrue(seen.add(hit.sha256()), "seen twice: " + hit.name());
      }
    }
    assertEquals(45, seen.size());
    assertEquals(List.of(), catalog.search(SearchQuery.of("live track").withPage(10, 50)).hits());
  }

  @Test
  void browseListsOnePeersFilesByNameIgnoringCase() {
    catalog.replace(
        "alice",
        List.of(
            file("beta.mp3", 2), file("Alpha.mp3", 1), file("gamma.txt", 3), file("Delta.iso", 4)));
    catalog.replace("bob", List.of(file("Aardvark.mp3", 9)));

    CatalogPage first = catalog.browse("alice", 3, 0);
    assertEquals(4, first.total());
    assertEquals(
        List.of("Alpha.mp3", "beta.mp3", "Delta.iso"),
        first.files().stream().map(SharedFile::name).toList());
    assertEquals(file("Alpha.mp3", 1), first.files().get(0));

    CatalogPage second = catalog.browse("alice", 3, 3);
    assertEquals(List.of(file("gamma.txt", 3)), second.files());
    assertEquals(4, second.total());

    assertEquals(new CatalogPage(List.of(), 4), catalog.browse("alice", 3, 9));
    assertThrows(IllegalArgumentException.class, () -> catalog.browse("alice", 0, 0));
  }

  @Test
  void totalsCountEveryEntryAndByte() {
    assertEquals(new CatalogTotals(0, 0), catalog.totals());
    catalog.replace("alice", List.of(file("a.mp3", 100), file("b.mp3", 200)));
    catalog.replace("bob", List.of(file("a.mp3", 100)));

    assertEquals(new CatalogTotals(3, 400), catalog.totals());
    assertEquals(2, catalog.entries("alice"));
    assertEquals(1, catalog.entries("bob"));
    assertEquals(0, catalog.entries("carol"));
  }

  @Test
  void perPeerLimitIsEnforcedAndNothingChanges() {
    List<SharedFile> many = new ArrayList<>();
    for (int i = 0; i < Limits.MAX_ENTRIES_PER_PEER; i++) {
      many.add(new SharedFile("f" + i + ".bin", 1, sha("f" + i)));
    }
    assertEquals(Limits.MAX_ENTRIES_PER_PEER, catalog.replace("alice", many));

    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> catalog.apply("alice", List.of(file("one more.mp3", 1)), List.of()));
    assertTrue(e.getMessage().contains("at most " + Limits.MAX_ENTRIES_PER_PEER), e.getMessage());
    assertEquals(Limits.MAX_ENTRIES_PER_PEER, catalog.entries("alice"));
    assertEquals(List.of(), names("one more"));

    List<SharedFile> tooMany = new ArrayList<>(many);
    tooMany.add(file("one more.mp3", 1));
    assertThrows(IllegalArgumentException.class, () -> catalog.replace("alice", tooMany));
    assertEquals(Limits.MAX_ENTRIES_PER_PEER, catalog.entries("alice"));
    assertEquals(
        new CatalogTotals(Limits.MAX_ENTRIES_PER_PEER, Limits.MAX_ENTRIES_PER_PEER),
        catalog.totals());

    // Swapping one entry for another at the limit is fine.
    assertEquals(
        Limits.MAX_ENTRIES_PER_PEER,
        catalog.apply("alice", List.of(file("one more.mp3", 1)), List.of(sha("f0"))));
    assertEquals(List.of("one more.mp3"), names("one more"));
  }

  @Test
  void concurrentPublishesLeaveExactCounts() throws Exception {
    int peers = 8;
    int rounds = 20;
    ExecutorService pool = Executors.newFixedThreadPool(peers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < peers; p++) {
        String peer = "peer-" + p;
        done.add(
            pool.submit(
                () -> {
                  for (int r = 0; r < rounds; r++) {
                    List<SharedFile> files = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                      files.add(new SharedFile("song " + i + ".mp3", 10, sha(peer + r + i)));
                    }
                    catalog.replace(peer, files);
                    catalog.apply(
                        peer,
                        List.of(new SharedFile("extra " + r + ".mp3", 5, sha(peer + "x" + r))),
                        List.of(files.get(0).sha256()));
                    catalog.search(SearchQuery.of("song"));
                  }
                  return null;
                }));
      }
      // Another thread hammers a peer that is being removed and re-added.
      done.add(
          pool.submit(
              () -> {
                for (int r = 0; r < rounds; r++) {
                  catalog.replace("flaky", List.of(file("flaky " + r + ".mp3", 3)));
                  catalog.removePeer("flaky");
                }
                return null;
              }));
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }

    for (int p = 0; p < peers; p++) {
      assertEquals(50, catalog.entries("peer-" + p));
      assertEquals(50, catalog.browse("peer-" + p, 200, 0).total());
    }
    assertEquals(0, catalog.entries("flaky"));
    assertEquals(new CatalogTotals(peers * 50L, peers * (49 * 10L + 5)), catalog.totals());
    CatalogHits extras = catalog.search(SearchQuery.of("extra " + (rounds - 1) + " "));
    assertEquals(peers, extras.total());
    assertEquals(1, extras.hits().get(0).peers().size());
  }

  @Test
  void totalCountsTheGroupsAmongTheCollectedDocuments() {
    int matching = Catalog.MIN_COLLECTED + 44;
    List<SharedFile> files = new ArrayList<>();
    for (int i = 0; i < matching; i++) {
      files.add(file("Mix " + i + ".mp3", i));
    }
    catalog.replace("alice", files);

    // A first page groups the best MIN_COLLECTED documents: the total is a lower bound.
    assertEquals(Catalog.MIN_COLLECTED, catalog.search(SearchQuery.of("mix")).total());
    // A deep page collects enough documents to fill it, and sees them all.
    CatalogHits deep = catalog.search(SearchQuery.of("mix").withPage(50, matching - 50));
    assertEquals(matching, deep.total());
    assertEquals(50, deep.hits().size());
  }

  @Test
  void openingWipesAnOldIndex() throws IOException {
    catalog.replace("alice", List.of(file("Hey Jude.mp3", 5)));
    catalog.close();
    catalog = Catalog.open(dir.resolve("catalog"));

    assertEquals(List.of(), names("jude"));
    assertEquals(new CatalogTotals(0, 0), catalog.totals());
    assertTrue(Files.isDirectory(dir.resolve("catalog")));
  }
}
