package dev.swarmdex.engine.api;

import dev.swarmdex.engine.relay.Relay;
import dev.swarmdex.protocol.PushOrder;
import dev.swarmdex.protocol.Sha256;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.ByteRange;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The relay for firewalled peers over HTTP: {@code GET relay/{peerId}/{sha256}} (a downloader, with
 * an optional Range), {@code GET relay/{peerId}/{sha256}/chunks} (a downloader, for the peer's
 * chunk list), {@code POST relay/{id}} (the firewalled peer, with the bytes or the list), {@code
 * POST push/{peerId}/{sha256}} (a downloader orders a push) and {@code GET peers/{id}/pushes} (the
 * peer's long poll). A directory that does not relay answers them with 404.
 */
final class RelayResource {
  private final Relay relay;
  private final TokenBuckets pushOrders;

  /**
   * @param relay null when the directory does not relay
   */
  RelayResource(Relay relay, TokenBuckets pushOrders) {
    this.relay = relay;
    this.pushOrders = pushOrders;
  }

  Object open(ApiCall call) {
    Relay relay = relay();
    call.noBody();
    String peerId = call.path("peerId");
    Sha256 sha256 = call.sha256("sha256");
    long size = relay.sizeOf(peerId, sha256);
    if (size == 0) {
      throw new IllegalArgumentException("the file is empty: there is nothing to relay");
    }
    List<String> ranges = call.request().getHeaders().getValuesList(HttpHeader.RANGE);
    if (ranges.isEmpty()) {
      return relay.open(peerId, sha256, 0, size - 1, size, call.caller());
    }
    List<ByteRange> asked = ByteRange.parse(ranges, size);
    if (asked.size() != 1) {
      throw new ApiError(
          416, "bad_range", "Range must be one satisfiable range of the " + size + "-byte file");
    }
    return relay.open(
        peerId, sha256, asked.get(0).first(), asked.get(0).last(), size, call.caller());
  }

  Object openChunkList(ApiCall call) {
    Relay relay = relay();
    call.noBody();
    return relay.openChunkList(call.path("peerId"), call.sha256("sha256"), call.caller());
  }

  Object deliver(ApiCall call) {
    return Map.of("bytes", relay().deliver(call.path("id"), call.bearer(), call.request()));
  }

  Object orderPush(ApiCall call) {
    // Anyone may order a push (a downloader needs no identity), so orders are held to a rate per
    // address: each makes a peer upload up to 4 MiB.
    ApiLimits.limit(pushOrders, call.caller(), "this address (push orders)");
    PushOrder order = call.body(PushOrder.class);
    return Map.of(
        "id", relay().orderPush(call.path("peerId"), call.sha256("sha256"), order, call.caller()));
  }

  Object pushes(ApiCall call) {
    call.noBody();
    return relay()
        .pushes(call.path("id"), call.bearer(), ApiCall.intParam(call.query(), "wait", 0));
  }

  private Relay relay() {
    if (relay == null) {
      throw new ApiError(404, "not_found", "this directory does not relay");
    }
    return relay;
  }
}
