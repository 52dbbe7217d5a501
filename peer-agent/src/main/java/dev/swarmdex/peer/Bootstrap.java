package dev.swarmdex.peer;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.BootstrapCache;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.JoinRequest;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PeerCredential;
import dev.swarmdex.protocol.PrivateFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an agent joins without the index server: the supernodes it has attached to ({@code
 * directories.json}, a {@link BootstrapCache}) and the index server's signed voucher for its
 * identity ({@code credential.json}, fetched after each join at the index server), both in its
 * state folder, owner-only. A returning agent whose index server does not answer attaches to a
 * cached supernode presenting the voucher; a new one waits for the index server.
 */
final class Bootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

  private final Path voucherFile;
  private final BootstrapCache directories;
  private final Clock clock;
  private volatile PeerCredential voucher;

  Bootstrap(Path stateDir, Clock clock) {
    this.voucherFile = stateDir.resolve("credential.json");
    this.directories = BootstrapCache.open(stateDir.resolve("directories.json"), clock);
    this.clock = clock;
    if (Files.isRegularFile(voucherFile)) {
      try {
        voucher = Json.readAnswer(Files.readAllBytes(voucherFile), PeerCredential.class);
      } catch (IOException | RuntimeException e) {
        LOG.warn("ignoring unreadable credential {}: {}", voucherFile, e.getMessage());
      }
    }
  }

  /** Whether {@code e} says the index server cannot be reached (rather than refusing). */
  static boolean indexAway(ApiException e) {
    return e.status() == 0 || e.status() == 502 || e.status() == 503 || e.status() == 504;
  }

  /**
   * Throws {@code e} when the index server refused (rather than being away), and the reason to wait
   * when it is away but {@code me} is a new peer (only the index server issues identities).
   */
  void throwUnlessAway(ApiException e, Credentials me, URI index) {
    if (!indexAway(e)) {
      throw e;
    }
    if (me == null) {
      throw waiting(e, null, index);
    }
  }

  static List<String> prepend(String first, List<String> rest) {
    List<String> all = new java.util.ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  /** After a join at the index server: fetches and keeps a fresh voucher (best effort). */
  void joinedIndex(ApiClient index, Credentials me, List<String> supernodes) {
    directories.sawUrls(supernodes);
    try {
      PeerCredential fresh = index.credential(me);
      voucher = fresh;
      PrivateFiles.write(voucherFile, Json.write(fresh));
    } catch (ApiException | IOException e) {
      LOG.warn("no credential from the index server ({}): cannot rejoin without it", e.toString());
    }
  }

  /** After attaching to {@code supernode}: it goes first in the cache. */
  void attached(URI supernode) {
    directories.sawUrls(List.of(supernode.toString()));
  }

  /** {@code request} carrying the voucher for {@code me}, when there is one. */
  JoinRequest vouched(JoinRequest request, Credentials me) {
    PeerCredential held = voucher;
    return held != null && me != null && held.peerId().equals(me.peerId())
        ? request.withCredential(held)
        : request;
  }

  /** The supernodes to try while the index server is away, the most recently seen first. */
  List<String> supernodes() {
    return directories.urls(null);
  }

  /** Why the agent waits: what it says once per attempt while the index server is away. */
  ApiException waiting(ApiException e, Credentials me, URI index) {
    String why;
    if (me == null) {
      why =
          "the index server "
              + index
              + " does not answer, and only it gives a new peer its identity: waiting for it";
    } else if (voucher == null || voucher.expiredAt(clock.instant())) {
      why =
          "the index server "
              + index
              + " does not answer, and this peer holds no valid credential to rejoin through a"
              + " supernode: waiting for it";
    } else {
      why =
          "the index server "
              + index
              + " does not answer, and none of the "
              + supernodes().size()
              + " supernodes this peer knows takes it: waiting";
    }
    return new ApiException(e.status(), "unreachable", why + " (" + e.getMessage() + ")");
  }
}
