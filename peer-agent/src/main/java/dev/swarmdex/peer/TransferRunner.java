package dev.swarmdex.peer;

import dev.swarmdex.peer.download.Progress;
import dev.swarmdex.protocol.Sha256;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BiConsumer;

/** What runs the {@link TransferQueue}'s downloads: the agent ({@link PeerAgent#download}). */
interface TransferRunner {
  /** Runs one download to its end; {@code located} is told the target and size once known. */
  PeerAgent.Downloaded run(
      Sha256 sha256, Path out, Duration patience, BiConsumer<Path, Long> located)
      throws IOException;

  /** How the download of {@code sha256} running now is doing, or null. */
  Progress progress(Sha256 sha256);
}
