package dev.swarmdex.bench;

import dev.swarmdex.engine.routing.Digest;
import dev.swarmdex.engine.routing.DigestPatch;
import dev.swarmdex.engine.routing.DigestShape;
import dev.swarmdex.engine.routing.KeywordTable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The simulated network of the {@code route} bench: {@code directories} directories of {@code
 * leaves} leaves, each leaf sharing {@code minNames..maxNames} names drawn from a pool (a corpus
 * line's name, so a name on many lines is drawn more often). Each directory's digest is built by
 * the servers' own {@link KeywordTable} from its leaves' names and kept as the one-bit {@link
 * Digest}; the 1 MiB table is dropped at once. For every {@code patchEvery}-th directory, the
 * {@link DigestPatch} bytes of its last leaf joining, its first leaf leaving and one name added are
 * kept.
 */
final class RouteNetwork {
  /** Past this, a patch is not sent and the whole digest goes (docs/ARCHITECTURE.md). */
  static final int PATCH_CAP = 4096;

  /** Patch bytes of one sampled directory (-1: over the cap, the whole digest went). */
  record PatchSample(int join, int leave, int oneName) {}

  private final List<String> names;
  private final List<String> ids;
  private final int leaves;
  private final int[] leafStart;
  private final int[] shareName;
  private final Digest[] digests;
  private final int[] nameStart;
  private final int[] nameDirs;
  private final List<PatchSample> patches;

  private RouteNetwork(
      List<String> names,
      List<String> ids,
      int leaves,
      int[] leafStart,
      int[] shareName,
      Digest[] digests,
      List<PatchSample> patches) {
    this.names = names;
    this.ids = ids;
    this.leaves = leaves;
    this.leafStart = leafStart;
    this.shareName = shareName;
    this.digests = digests;
    this.patches = patches;
    // Postings name -> directory, one per share (a name shared twice counts twice, as results do).
    nameStart = new int[names.size() + 1];
    for (int s : shareName) {
      nameStart[s + 1]++;
    }
    for (int i = 0; i < names.size(); i++) {
      nameStart[i + 1] += nameStart[i];
    }
    nameDirs = new int[shareName.length];
    int[] fill = nameStart.clone();
    int directories = ids.size();
    for (int d = 0; d < directories; d++) {
      for (int s = leafStart[d * leaves]; s < leafStart[(d + 1) * leaves]; s++) {
        nameDirs[fill[shareName[s]]++] = d;
      }
    }
  }

  /**
   * Draws the shares and builds every digest (in parallel, one table per thread at a time).
   *
   * @param pool name ids to draw from, with repeats for popularity
   */
  static RouteNetwork build(
      List<String> names,
      int[] pool,
      int directories,
      int leaves,
      int minNames,
      int maxNames,
      long seed,
      int patchEvery) {
    int leafCount = directories * leaves;
    int[] perLeaf = new int[leafCount];
    Random sizes = new Random(seed);
    int[] leafStart = new int[leafCount + 1];
    for (int l = 0; l < leafCount; l++) {
      perLeaf[l] = minNames + sizes.nextInt(maxNames - minNames + 1);
      leafStart[l + 1] = leafStart[l] + perLeaf[l];
    }
    int[] shareName = new int[leafStart[leafCount]];
    Random draw = new Random(seed + 1);
    for (int s = 0; s < shareName.length; s++) {
      shareName[s] = pool[draw.nextInt(pool.length)];
    }
    List<String> ids = new ArrayList<>(directories);
    for (int d = 0; d < directories; d++) {
      ids.add("s" + d);
    }
    Digest[] digests = new Digest[directories];
    PatchSample[] samples = new PatchSample[directories];
    IntStream.range(0, directories)
        .parallel()
        .forEach(
            d -> {
              KeywordTable table = new KeywordTable(DigestShape.STANDARD);
              int first = d * leaves;
              int last = first + leaves - 1;
              for (int s = leafStart[first]; s < leafStart[last]; s++) {
                table.add(names.get(shareName[s]));
              }
              boolean sample = patchEvery > 0 && d % patchEvery == 0;
              Digest before = sample ? table.snapshot() : null;
              long beforeVersion = table.version();
              for (int s = leafStart[last]; s < leafStart[last + 1]; s++) {
                table.add(names.get(shareName[s]));
              }
              Digest full = table.snapshot();
              digests[d] = full;
              if (sample) {
                int join = patchBytes(before, full, beforeVersion, table.version());
                long fullVersion = table.version();
                for (int s = leafStart[first]; s < leafStart[first + 1]; s++) {
                  table.remove(names.get(shareName[s]));
                }
                int leave = patchBytes(full, table.snapshot(), fullVersion, table.version());
                for (int s = leafStart[first]; s < leafStart[first + 1]; s++) {
                  table.add(names.get(shareName[s]));
                }
                table.add(names.get((shareName[leafStart[first]] + 1) % names.size()));
                int one = patchBytes(full, table.snapshot(), fullVersion, table.version());
                samples[d] = new PatchSample(join, leave, one);
              }
            });
    List<PatchSample> patches = new ArrayList<>();
    for (PatchSample p : samples) {
      if (p != null) {
        patches.add(p);
      }
    }
    return new RouteNetwork(
        names, List.copyOf(ids), leaves, leafStart, shareName, digests, patches);
  }

  private static int patchBytes(Digest from, Digest to, long fromVersion, long toVersion) {
    return DigestPatch.between(from, to, fromVersion, toVersion, PATCH_CAP)
        .map(p -> p.encode().length)
        .orElse(-1);
  }

  int size() {
    return ids.size();
  }

  List<String> ids() {
    return ids;
  }

  List<String> names() {
    return names;
  }

  Digest digest(int directory) {
    return digests[directory];
  }

  List<PatchSample> patches() {
    return patches;
  }

  long shares() {
    return shareName.length;
  }

  /** The name ids of directory {@code d}'s shares, one per share. */
  int[] sharesOf(int d) {
    return java.util.Arrays.copyOfRange(
        shareName, leafStart[d * leaves], leafStart[(d + 1) * leaves]);
  }

  /** A random share's name (for drawing queries and lookups). */
  int randomShare(Random random) {
    return shareName[random.nextInt(shareName.length)];
  }

  /** Results per directory for the names {@code matching}: its shares whose name matches. */
  int[] resultsPerDirectory(BitSet matching) {
    int[] counts = new int[ids.size()];
    for (int n = matching.nextSetBit(0); n >= 0; n = matching.nextSetBit(n + 1)) {
      for (int i = nameStart[n]; i < nameStart[n + 1]; i++) {
        counts[nameDirs[i]]++;
      }
    }
    return counts;
  }

  /** The directories sharing name {@code n}, once each, in order. */
  int[] holdersOf(int n) {
    return IntStream.range(nameStart[n], nameStart[n + 1])
        .map(i -> nameDirs[i])
        .distinct()
        .toArray();
  }
}
