package dev.swarmdex.peer.serve;

/**
 * How much a requester deserves an upload slot, by the address its connection comes from (plain
 * HTTP clients such as curl and aria2c carry no other identity, and the directory knows peers by
 * that address too). Higher is better; the {@link UploadGate} gives free regular slots to the
 * highest reputation first. Reputation itself is another feature's: until it plugs in here, {@link
 * #none()} ranks everyone 0, so slots go by waiting time alone.
 *
 * <p>Called on a server thread for every gated request: it must answer from memory, quickly, and
 * never block.
 *
 * <pre>{@code
 * RequesterRanking ranking = ip -> trusted.contains(ip) ? 10 : 0;
 * Handler gated = new UploadGate(fileHandler, UploadLimits.defaults(), ranking);
 * }</pre>
 */
@FunctionalInterface
public interface RequesterRanking {
  /** The reputation of the requester at {@code ip} (a textual IPv4 or IPv6 address). */
  int reputation(String ip);

  /** Everyone 0: no one is preferred. */
  static RequesterRanking none() {
    return ip -> 0;
  }
}
