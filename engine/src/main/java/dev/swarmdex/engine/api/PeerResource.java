package dev.swarmdex.engine.api;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.protocol.FileChanges;
import dev.swarmdex.protocol.FileList;
import dev.swarmdex.protocol.UnreachableReport;

/**
 * A peer's session at this directory: {@code DELETE peers/{id}} (leave), {@code POST
 * peers/{id}/heartbeat}, and its shared files: {@code GET}/{@code PUT peers/{id}/files} (browse,
 * publish the whole list), {@code POST peers/{id}/files/changes}, and {@code POST
 * peers/{id}/unreachable} (a source it could not connect to).
 */
final class PeerResource {
  private static final int DEFAULT_BROWSE_LIMIT = 100;

  private final Directory directory;
  private final Reputation reputation;
  private final ApiCounts counts;

  /**
   * @param reputation told of every heartbeat; may be null
   */
  PeerResource(Directory directory, Reputation reputation, ApiCounts counts) {
    this.directory = directory;
    this.reputation = reputation;
    this.counts = counts;
  }

  Object leave(ApiCall call) {
    directory.leave(call.path("id"), call.bearer(), call.caller());
    return null;
  }

  Object heartbeat(ApiCall call) {
    String peerId = call.path("id");
    var beat = directory.heartbeat(peerId, call.bearer(), call.caller());
    if (reputation != null) {
      reputation.sighted(peerId);
    }
    return beat;
  }

  Object browse(ApiCall call) {
    var params = call.query();
    return directory.browse(
        call.path("id"),
        ApiCall.intParam(params, "limit", DEFAULT_BROWSE_LIMIT),
        ApiCall.intParam(params, "offset", 0));
  }

  Object publish(ApiCall call) {
    var wait = call.publishWait();
    var result =
        directory.publish(
            call.path("id"), call.bearer(), call.body(FileList.class), wait, call.caller());
    counts.published();
    return result;
  }

  Object publishChanges(ApiCall call) {
    var wait = call.publishWait();
    var result =
        directory.publishChanges(
            call.path("id"), call.bearer(), call.body(FileChanges.class), wait, call.caller());
    counts.changed();
    return result;
  }

  Object unreachable(ApiCall call) {
    UnreachableReport report = call.body(UnreachableReport.class);
    return directory.reportUnreachable(
        call.path("id"), call.bearer(), call.caller(), report.peer());
  }
}
