package dev.swarmdex.peer.download;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Who a {@link Downloader} downloads as: the peer id it names to uploaders (header {@link
 * dev.swarmdex.protocol.ServedTicket#PEER_HEADER}, so they can rank it by reputation; null while it
 * has none) and where the evidence of its transfers goes.
 *
 * <pre>{@code
 * Identity me = new Identity(() -> credentials.peerId(), outbox);
 * try (Downloader downloader = Downloader.create(bind, me)) { ... }
 * }</pre>
 */
public record Identity(Supplier<String> peerId, EvidenceSink evidence) {
  public Identity {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(evidence, "evidence");
  }

  /** No identity: plain downloads, like curl's; no evidence is collected. */
  public static Identity anonymous() {
    return new Identity(() -> null, EvidenceSink.none());
  }
}
