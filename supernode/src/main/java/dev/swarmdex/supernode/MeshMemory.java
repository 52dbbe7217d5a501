package dev.swarmdex.supernode;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.BootstrapCache;
import dev.swarmdex.protocol.Neighbour;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a supernode keeps on disk of the mesh for when the index server is away: the directories it
 * has seen ({@code directories.json}, a {@link BootstrapCache}), the index server's voucher key
 * ({@code index-key.json}, for {@link VoucherCheck}) and the other directories' identities ({@link
 * DirectoryTokens}).
 */
final class MeshMemory {
  private static final Logger LOG = LoggerFactory.getLogger(MeshMemory.class);

  private final BootstrapCache directories;
  private final VoucherCheck vouchers;
  private final DirectoryTokens tokens;

  MeshMemory(Path dataDir, Clock clock) {
    this.directories = BootstrapCache.open(dataDir.resolve("directories.json"), clock);
    this.vouchers = new VoucherCheck(dataDir.resolve("index-key.json"), clock);
    this.tokens = new DirectoryTokens(dataDir.resolve("directory-tokens.json"));
  }

  DirectoryTokens tokens() {
    return tokens;
  }

  VoucherCheck vouchers() {
    return vouchers;
  }

  BootstrapCache directories() {
    return directories;
  }

  /** After joining the mesh: learns the key the index server signs vouchers with. */
  void joined(ApiClient index) {
    try {
      vouchers.learnIndexKey(index.indexKey().key());
    } catch (ApiException e) {
      LOG.warn(
          "cannot learn the index server's voucher key ({}): returning leaves are admitted only"
              + " while it answers",
          e.getMessage());
    }
  }

  /** Records the mesh's members as the index server lists them. */
  void members(List<Neighbour> members) {
    directories.saw(members);
  }
}
