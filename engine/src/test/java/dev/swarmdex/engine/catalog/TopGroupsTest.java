package dev.swarmdex.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.engine.catalog.HitGrouping.Group;
import dev.swarmdex.protocol.PublishWait;
import dev.swarmdex.protocol.SearchQuery;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.protocol.SourceNetworks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.search.ScoreDoc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TopGroups} ranks a search's documents exactly as {@link HitGrouping#rank} of every match
 * does (the path it replaced): same groups, order, peers in order, networks, scores and best
 * documents, over a catalog where contents are shared by several peers on shared and separate
 * networks, names tie on score, and content ids tie on their first bytes.
 */
class TopGroupsTest {
  @TempDir Path dir;

  @Test
  void ranksAsGroupingEveryMatchDoes() throws Exception {
    Random random = new Random(26);
    String[] words = {"debian", "live", "iso", "amd64", "beatles", "help", "usr", "share", "doc"};
    List<SharedFile> pool = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String name =
          words[random.nextInt(words.length)]
              + " "
              + words[random.nextInt(words.length)]
              + (random.nextBoolean() ? " " + words[random.nextInt(words.length)] : "")
              + ".txt";
      // Half the ids share their first eight bytes: they must still be told apart.
      String hex =
          (i % 2 == 0 ? "00000000" : String.format("%08x", random.nextInt()))
              + String.format("%056x", new java.math.BigInteger(224, random));
      pool.add(new SharedFile(name, 1 + random.nextInt(1000), Sha256.of(hex)));
    }
    OwnerIds ownerIds = new OwnerIds();
    try (Catalog catalog = Catalog.open(dir.resolve("catalog"))) {
      for (int p = 0; p < 60; p++) {
        List<SharedFile> files = new ArrayList<>();
        for (int f = 0; f < 30; f++) {
          files.add(pool.get(random.nextInt(p % 3 == 0 ? 40 : pool.size())));
        }
        long network = SourceNetworks.of("10.0." + (p % 7) + ".1");
        catalog.replace("peer-" + p, network, files, PublishWait.SEARCHABLE);
      }
      int compared = 0;
      long shared = 0;
      for (String text : List.of("debian", "live iso", "beatles help", "us", "doc", "share d")) {
        for (int collect : new int[] {5, 50, 256, 4096}) {
          var query = CatalogQuery.of(SearchQuery.of(text));
          List<Group> expected =
              catalog.read(
                  searcher -> {
                    ScoreDoc[] docs = searcher.search(query, collect).scoreDocs;
                    return HitGrouping.rank(
                        CatalogSearcher.matches(searcher, docs, catalog::networkOfPeer));
                  });
          List<Group> actual =
              catalog.read(
                  searcher -> {
                    ScoreDoc[] docs = searcher.search(query, collect).scoreDocs;
                    TopGroups top = TopGroups.of(searcher, docs, catalog::networkOfPeer, ownerIds);
                    assertEquals(expected.size(), top.size(), text);
                    return top.page(0, top.size());
                  });
          assertEquals(expected, actual, text + " collecting " + collect);
          compared += expected.size();
          shared += expected.stream().filter(g -> g.networks() > 1).count();
        }
      }
      assertTrue(compared > 500, "enough groups compared: " + compared);
      assertTrue(shared > 100, "contents shared from several networks among them: " + shared);
    }
  }
}
