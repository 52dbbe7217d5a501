package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.peer.serve.ReputationLookup;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.ReputationFactor;
import dev.swarmdex.protocol.ReputationReport;
import dev.swarmdex.protocol.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reputation earned from evidence, end to end: real agents on 127.0.0.x trade files through their
 * own identified downloads, their file servers sign what they serve, their evidence queues hand the
 * tickets to the index server, and the index server's levels come out of that alone.
 *
 * <p>Three honest peers each share two files and download the others' files; a free-rider, up as
 * long, only downloads. A ring member, also up as long, shares one file that ten fresh identities
 * all download. Maturity is shortened to 20 s and the full uptime factor to 30 s, so every
 * long-lived peer ends with the same uptime points and only the evidence tells them apart.
 */
class ReputationTradingTest {
  private static final Logger LOG = LoggerFactory.getLogger(ReputationTradingTest.class);
  private static final int FILE = 4 << 20;
  private static final int[] HONEST = {2, 3, 4};
  private static final int FREE_RIDER = 5;
  private static final int RING_MEMBER = 6;
  private static final int FIRST_SYBIL = 11;
  private static final int SYBILS = 10;
  private static final int OBSERVER = 30;

  @TempDir Path root;

  @Test
  void honestTradersRankAboveAFreeRiderAndASybilRingCannotLiftItsMemberAboveThem()
      throws Exception {
    try (Network network = new Network(root)) {
      network.startServer(
          config ->
              config
                  .reputationMaturity(Duration.ofSeconds(20))
                  .reputationFullUptime(Duration.ofSeconds(30))
                  .reputationInterval(Duration.ofSeconds(1)));
      ApiClient observer = network.clientAt(OBSERVER);

      Map<Integer, PeerAgent> honest = new LinkedHashMap<>();
      Map<Integer, List<Sha256>> files = new LinkedHashMap<>();
      for (int host : HONEST) {
        Path share = root.resolve("share-" + host);
        files.put(
            host,
            List.of(
                sha(writeFile(share, "album-" + host + "-side-a.flac", FILE)),
                sha(writeFile(share, "album-" + host + "-side-b.flac", FILE))));
        honest.put(host, network.startAgent(host, share));
      }
      PeerAgent freeRider =
          network.startAgent(FREE_RIDER, Files.createDirectories(root.resolve("share-free")));
      Path ringShare = root.resolve("share-ring");
      Sha256 ringFile = sha(writeFile(ringShare, "ring-release.mkv", FILE));
      PeerAgent member = network.startAgent(RING_MEMBER, ringShare);

      List<PeerAgent> longLived = new ArrayList<>(honest.values());
      longLived.add(freeRider);
      longLived.add(member);
      assertTrue(
          eventually(
              Duration.ofSeconds(15), () -> longLived.stream().allMatch(PeerAgent::isJoined)));

      // Mature: 21 s of uptime seen is 140 of the 200 uptime points (full at 30 s).
      assertTrue(
          eventually(
              Duration.ofSeconds(60),
              () -> longLived.stream().allMatch(agent -> level(observer, agent) >= 140)),
          "the long-lived peers mature");

      // The honest peers trade: each fetches the others' files into its shared folder.
      for (Map.Entry<Integer, PeerAgent> downloader : honest.entrySet()) {
        for (Map.Entry<Integer, List<Sha256>> shared : files.entrySet()) {
          if (!shared.getKey().equals(downloader.getKey())) {
            for (Sha256 sha : shared.getValue()) {
              PeerAgent.Downloaded got = downloader.getValue().download(sha, null, null);
              assertTrue(got.shared(), "the download is shared: " + got);
            }
          }
        }
      }
      // The free-rider takes everything and keeps it out of its (empty) shared folder.
      Path hoard = root.resolve("hoard");
      for (List<Sha256> shas : files.values()) {
        for (Sha256 sha : shas) {
          PeerAgent.Downloaded got = freeRider.download(sha, hoard.resolve(sha.hex()), null);
          assertEquals(sha, sha(got.file()));
        }
      }

      // Ten fresh identities vouch for the ring member by downloading its file.
      List<PeerAgent> sybils = new ArrayList<>();
      for (int i = 0; i < SYBILS; i++) {
        int host = FIRST_SYBIL + i;
        sybils.add(
            network.startAgent(host, Files.createDirectories(root.resolve("share-sybil-" + i))));
      }
      assertTrue(
          eventually(Duration.ofSeconds(15), () -> sybils.stream().allMatch(PeerAgent::isJoined)));
      for (int i = 0; i < SYBILS; i++) {
        Path out = root.resolve("sybil-" + i).resolve("ring-release.mkv");
        sybils.get(i).download(ringFile, out, null);
        assertArrayEquals(
            Files.readAllBytes(ringShare.resolve("ring-release.mkv")), Files.readAllBytes(out));
      }

      for (PeerAgent agent : network.agents) {
        agent.sendEvidenceNow();
      }
      // Every long-lived peer now has the whole uptime factor: only evidence separates them.
      assertTrue(
          eventually(
              Duration.ofSeconds(60),
              () -> longLived.stream().allMatch(agent -> level(observer, agent) >= 200)),
          "the long-lived peers reach the full uptime factor");

      int freeRiderLevel = level(observer, freeRider);
      int memberLevel = level(observer, member);
      Map<Integer, Integer> honestLevels = new LinkedHashMap<>();
      honest.forEach((host, agent) -> honestLevels.put(host, level(observer, agent)));
      String levels =
          "honest "
              + honestLevels
              + ", free-rider "
              + freeRiderLevel
              + ", ring member "
              + memberLevel;
      LOG.info("levels after the run: {}", levels);
      for (int level : honestLevels.values()) {
        assertTrue(level > freeRiderLevel, levels);
        assertTrue(level > memberLevel, levels);
      }

      // Each peer can read why: the honest peers' uploads were confirmed, the free-rider's not.
      for (PeerAgent agent : honest.values()) {
        assertTrue(points(observer, agent, "uploads") > 0, levels);
        assertTrue(points(observer, agent, "popularity") > 0, levels);
      }
      assertEquals(0, points(observer, freeRider, "uploads"), levels);
      assertEquals(0, points(observer, freeRider, "popularity"), levels);

      // Upload priority trusts a level only from the address the index server knows its peer at.
      PeerAgent best = honest.get(HONEST[0]);
      String bestId = id(best);
      int bestLevel = honestLevels.get(HONEST[0]);
      try (ReputationLookup ranking = ReputationLookup.using(observer)) {
        assertTrue(
            eventually(
                Duration.ofSeconds(10),
                () -> ranking.reputation("127.0.0." + HONEST[0], bestId) >= bestLevel),
            "the honest peer's own address gets its level");
        assertEquals(0, ranking.reputation("127.0.0." + FREE_RIDER, bestId), "a borrowed id");
      }
    }
  }

  private static String id(PeerAgent agent) {
    return agent.credentials().map(Credentials::peerId).orElseThrow();
  }

  private static int level(ApiClient api, PeerAgent agent) {
    return api.peerReputation(id(agent)).level();
  }

  /** One factor of the agent's own report, read with its own token. */
  private static int points(ApiClient api, PeerAgent agent, String factor) {
    ReputationReport report = api.reputationReport(agent.credentials().orElseThrow());
    return report.factors().stream()
        .filter(f -> f.name().equals(factor))
        .mapToInt(ReputationFactor::points)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no factor " + factor + " in " + report));
  }

  private static Sha256 sha(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    return Sha256.ofDigest(digest.digest(Files.readAllBytes(file)));
  }
}
