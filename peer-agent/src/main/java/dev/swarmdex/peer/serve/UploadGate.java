package dev.swarmdex.peer.serve;

import dev.swarmdex.protocol.AddressKey;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.ServedTicket;
import dev.swarmdex.protocol.Sha256;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fair uploads in front of the file handler: at most {@link UploadLimits#slots()} file bodies are
 * sent at once, the free slots go by {@link RequesterRanking reputation} (of the address, and the
 * peer id a requester names in {@link ServedTicket#PEER_HEADER}) with one optimistic slot that
 * rotates (see {@link SlotPolicy}), and the bytes are paced to a global and a per-address rate.
 * Only {@code GET /files/{sha256}} is gated; {@code HEAD}, listings, {@code /health} and any other
 * route pass straight through.
 *
 * <p>A refused request gets {@code 503} with a JSON {@link ErrorBody} (code {@code busy}), {@code
 * Retry-After} in seconds and {@code X-Queue-Position} (1 = next). Requesters are told apart by the
 * address of their connection. Each request counts: one address may hold at most {@value
 * #MAX_SLOTS_PER_REQUESTER} slots at once, so a segmented downloader gets parallelism without
 * taking every slot. A slot is held from the grant until the response's last write is handed on or
 * the response completes or fails, whichever comes first, so a client that disconnects mid-way
 * frees it as soon as the server notices.
 *
 * <pre>{@code
 * Handler gated = new UploadGate(fileHandler, UploadLimits.defaults().withSlots(2), RequesterRanking.none());
 * try (FileServer server = FileServer.start(bind, 0, gated)) { ... }
 * }</pre>
 */
public final class UploadGate extends Handler.Wrapper {
  /** How many slots one address may hold at once. */
  public static final int MAX_SLOTS_PER_REQUESTER = 2;

  /** The response header telling a refused requester its place in the queue (1 = next). */
  public static final String QUEUE_POSITION = "X-Queue-Position";

  private static final Logger LOG = LoggerFactory.getLogger(UploadGate.class);
  private static final String FILES = "/files/";

  private final SlotPolicy policy;
  private final RequesterRanking ranking;
  private final LongSupplier clock;
  private final TokenBucket global;
  private final long perPeerRate;
  private final Object lock = new Object();
  // Guarded by lock.
  private SlotPolicy.State state = SlotPolicy.State.empty();
  private final Map<String, PeerRate> perPeer = new HashMap<>();
  private final UploadBoard board;
  private final int slots;

  /**
   * Gates {@code files} with {@code limits}, ranking requesters by {@code ranking}.
   *
   * @param files the handler that serves the files, usually a {@link FileHandler}
   * @param limits slots and rates
   * @param ranking the reputation of each requester; {@link RequesterRanking#none()} for none
   */
  public UploadGate(Handler files, UploadLimits limits, RequesterRanking ranking) {
    this(
        files,
        limits,
        ranking,
        new SlotPolicy(limits.slots(), MAX_SLOTS_PER_REQUESTER),
        System::nanoTime);
  }

  UploadGate(
      Handler files,
      UploadLimits limits,
      RequesterRanking ranking,
      SlotPolicy policy,
      LongSupplier clock) {
    super(Objects.requireNonNull(files, "files"));
    this.policy = Objects.requireNonNull(policy, "policy");
    this.ranking = Objects.requireNonNull(ranking, "ranking");
    this.clock = Objects.requireNonNull(clock, "clock");
    long rate = limits.bytesPerSecond();
    this.global =
        rate > 0 ? new TokenBucket(rate, TokenBucket.burstFor(rate), clock.getAsLong()) : null;
    this.perPeerRate = limits.bytesPerSecondPerPeer();
    this.board = new UploadBoard(clock);
    this.slots = limits.slots();
  }

  /** How many uploads may run at once. */
  public int slots() {
    return slots;
  }

  /** The uploads running and lately ended, for the agent's owner. */
  public UploadBoard board() {
    return board;
  }

  /**
   * A requester refused for now and expected back: its address, its reputation, seconds it has
   * waited, and its place (1 = next).
   */
  public record Waiting(String ip, int reputation, long seconds, int position) {}

  /** Who waits for a slot now, next first. */
  public List<Waiting> waiting() {
    long now = clock.getAsLong();
    List<SlotPolicy.Waiter> waiters;
    synchronized (lock) {
      waiters = new ArrayList<>(state.waiting());
    }
    waiters.removeIf(w -> w.expires() <= now);
    waiters.sort(SlotPolicy.RANKING);
    List<Waiting> list = new ArrayList<>(waiters.size());
    for (SlotPolicy.Waiter w : waiters) {
      long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(now - w.since());
      list.add(new Waiting(w.ip(), w.reputation(), seconds, list.size() + 1));
    }
    return list;
  }

  /**
   * Takes {@code bytes} from the global upload rate for an upload that does not pass through the
   * gate (a push to a relay); answers how many nanoseconds to wait before sending them.
   */
  long reserveGlobal(long bytes) {
    return global == null ? 0 : global.reserve(bytes, clock.getAsLong());
  }

  /** How many uploads are running now. */
  public int uploadsInProgress() {
    synchronized (lock) {
      return state.grants().size();
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!gated(request)) {
      return super.handle(request, response, callback);
    }
    // As the index server writes addresses, so it matches the address a reputation names.
    String ip = AddressKey.host(Request.getRemoteAddr(request));
    String claimed = request.getHeaders().get(ServedTicket.PEER_HEADER);
    int reputation = reputation(ip, claimed);
    SlotPolicy.Admission admission;
    TokenBucket peerBucket = null;
    synchronized (lock) {
      SlotPolicy.Outcome outcome = policy.admit(state, ip, reputation, clock.getAsLong());
      state = outcome.state();
      admission = outcome.admission();
      if (admission instanceof SlotPolicy.Granted && perPeerRate > 0) {
        peerBucket = perPeer.computeIfAbsent(ip, key -> new PeerRate(newPeerBucket())).take();
      }
    }
    if (admission instanceof SlotPolicy.Refused refused) {
      refuse(response, callback, refused);
      return true;
    }
    SlotPolicy.Grant grant = ((SlotPolicy.Granted) admission).grant();
    LOG.debug("upload slot {} to {}", grant, ip);
    String path = Request.getPathInContext(request);
    UploadBoard.Running shown =
        board.begin(grant.id(), ip, shownPeer(claimed), path.substring(FILES.length()));
    Runnable release = releaser(grant, peerBucket != null, shown);
    List<TokenBucket> buckets = new ArrayList<>(2);
    if (global != null) {
      buckets.add(global);
    }
    if (peerBucket != null) {
      buckets.add(peerBucket);
    }
    Response paced = new PacedResponse(request, response, buckets, clock, release, shown::sent);
    shown.statusFrom(response::getStatus);
    try {
      boolean handled = super.handle(request, paced, new Releasing(callback, release));
      if (!handled) {
        release.run();
      }
      return handled;
    } catch (Throwable t) {
      release.run();
      throw t;
    }
  }

  private static boolean gated(Request request) {
    if (!HttpMethod.GET.is(request.getMethod())) {
      return false;
    }
    String path = Request.getPathInContext(request);
    return path != null && path.startsWith(FILES) && Sha256.isValid(path.substring(FILES.length()));
  }

  /** The peer id a requester names, as shown to the owner: only a plausible id, else null. */
  private static String shownPeer(String claimed) {
    return claimed != null && claimed.matches("[A-Za-z0-9_-]{1,64}") ? claimed : null;
  }

  private int reputation(String ip, String claimedPeerId) {
    try {
      return ranking.reputation(ip, claimedPeerId);
    } catch (RuntimeException e) {
      LOG.warn("cannot rank {}: {}; treating it as 0", ip, e.toString());
      return 0;
    }
  }

  private TokenBucket newPeerBucket() {
    return new TokenBucket(perPeerRate, TokenBucket.burstFor(perPeerRate), clock.getAsLong());
  }

  private static void refuse(Response response, Callback callback, SlotPolicy.Refused refused) {
    response.getHeaders().put(HttpHeader.RETRY_AFTER, refused.retryAfterSeconds());
    response.getHeaders().put(QUEUE_POSITION, refused.position());
    String message =
        refused.reason()
            + "; you are number "
            + refused.position()
            + " in the queue: try again in "
            + refused.retryAfterSeconds()
            + " s";
    FileHandler.json(
        response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, new ErrorBody(message, "busy"));
  }

  /** Frees {@code grant} (and its share of the per-address rate) once, however often it runs. */
  private Runnable releaser(
      SlotPolicy.Grant grant, boolean sharesPeerRate, UploadBoard.Running shown) {
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        board.end(shown);
        synchronized (lock) {
          state = policy.release(state, grant);
          if (sharesPeerRate) {
            PeerRate rate = perPeer.get(grant.ip());
            if (rate != null && rate.drop()) {
              perPeer.remove(grant.ip());
            }
          }
        }
        LOG.debug("upload slot {} released", grant);
      }
    };
  }

  /** The rate bucket all running uploads to one address share, counted so it can be dropped. */
  private static final class PeerRate {
    private final TokenBucket bucket;
    private int users;

    PeerRate(TokenBucket bucket) {
      this.bucket = bucket;
    }

    TokenBucket take() {
      users++;
      return bucket;
    }

    /** One user fewer; true when none is left. */
    boolean drop() {
      return --users <= 0;
    }
  }

  /** The handler's callback, releasing the slot first when the response completes or fails. */
  private static final class Releasing implements Callback {
    private final Callback wrapped;
    private final Runnable release;

    Releasing(Callback wrapped, Runnable release) {
      this.wrapped = wrapped;
      this.release = release;
    }

    @Override
    public void succeeded() {
      release.run();
      wrapped.succeeded();
    }

    @Override
    public void failed(Throwable failure) {
      release.run();
      wrapped.failed(failure);
    }

    @Override
    public InvocationType getInvocationType() {
      return wrapped.getInvocationType();
    }
  }
}
