package dev.swarmdex.peer.serve;

/**
 * How much a requester deserves an upload slot, by the address its connection comes from and the
 * peer id it claims (header {@link dev.swarmdex.protocol.ServedTicket#PEER_HEADER}; null for plain
 * HTTP clients such as curl and aria2c). Higher is better; the {@link UploadGate} gives free
 * regular slots to the highest reputation first. A claim is only a hint: {@link ReputationLookup}
 * trusts a claimed id's level only when the directory knows that peer at the connection's own
 * address.
 *
 * <p>Called on a server thread for every gated request: it must answer from memory, quickly, and
 * never block.
 *
 * <pre>{@code
 * RequesterRanking ranking = (ip, peerId) -> trusted.contains(ip) ? 10 : 0;
 * Handler gated = new UploadGate(fileHandler, UploadLimits.defaults(), ranking);
 * }</pre>
 */
@FunctionalInterface
public interface RequesterRanking {
  /**
   * The reputation of the requester at {@code ip} (a textual IPv4 or IPv6 address) that claims to
   * be {@code peerId} (null when it names none).
   */
  int reputation(String ip, String peerId);

  /** Everyone 0: no one is preferred. */
  static RequesterRanking none() {
    return (ip, peerId) -> 0;
  }
}
