package dev.swarmdex.protocol;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The calls of saved searches: a peer's own ({@code peers/{id}/watches}, {@code
 * peers/{id}/notifications}) and those between directories ({@code mesh/watches}, {@code
 * mesh/watched}, {@code mesh/published}, {@code mesh/notify}). {@link ApiClient} makes them; they
 * live here to keep it readable.
 */
abstract class WatchCalls extends MeshCalls {
  WatchCalls() {}

  private static org.eclipse.jetty.client.BytesRequestContent json(Object body) {
    return ApiClient.json(body);
  }

  private static String watchPath(Credentials peer, String rest) {
    return "/api/v1/peers/" + peer.peerId() + rest;
  }

  /** Saves a search at the peer's directory, or renews the same one (same words and filters). */
  public Watch addWatch(Credentials peer, WatchRequest watch) {
    return send(
        authorized(HttpMethod.POST, watchPath(peer, "/watches"), peer).body(json(watch)),
        Watch.class);
  }

  /** The peer's saved searches at its directory. */
  public WatchList watches(Credentials peer) {
    return send(authorized(HttpMethod.GET, watchPath(peer, "/watches"), peer), WatchList.class);
  }

  /** Deletes one of the peer's saved searches (404 when it has none of that id). */
  public void removeWatch(Credentials peer, String watchId) {
    send(authorized(HttpMethod.DELETE, watchPath(peer, "/watches/" + watchId), peer), null);
  }

  /** What the peer's saved searches found and it has not acknowledged. */
  public Notifications notifications(Credentials peer) {
    return send(
        authorized(HttpMethod.GET, watchPath(peer, "/notifications"), peer), Notifications.class);
  }

  /** Acknowledges (drops) the peer's notifications up to and including {@code seq}. */
  public void acknowledge(Credentials peer, long seq) {
    send(
        authorized(HttpMethod.DELETE, watchPath(peer, "/notifications?through=" + seq), peer),
        null);
  }

  /** Registers (refreshes) saved searches at their rendezvous, as a mesh member. */
  public void registerWatches(Credentials directory, WatchRegistration registration) {
    send(
        authorized(HttpMethod.POST, "/api/v1/mesh/watches", directory)
            .body(json(registration))
            .timeout(5, TimeUnit.SECONDS),
        null);
  }

  /** The keys of the words a rendezvous holds saved searches for. */
  public WatchedWords watchedWords(Credentials directory) {
    return send(
        authorized(HttpMethod.POST, "/api/v1/mesh/watched", directory).timeout(5, TimeUnit.SECONDS),
        WatchedWords.class);
  }

  /** Files newly published at the caller, for a rendezvous holding searches for their words. */
  public void published(Credentials directory, PublishedFiles files) {
    send(
        authorized(HttpMethod.POST, "/api/v1/mesh/published", directory)
            .body(json(files))
            .timeout(5, TimeUnit.SECONDS),
        null);
  }

  /** Matches for saved searches the called directory registered at the calling rendezvous. */
  public void notifyHits(Credentials directory, WatchHits hits) {
    send(
        authorized(HttpMethod.POST, "/api/v1/mesh/notify", directory)
            .body(json(hits))
            .timeout(5, TimeUnit.SECONDS),
        null);
  }
}
