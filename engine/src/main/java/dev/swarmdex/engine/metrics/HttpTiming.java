package dev.swarmdex.engine.metrics;

import dev.swarmdex.engine.http.Router;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Times every request the wrapped handler answers, as {@code http_server_requests_seconds} (a
 * histogram) labelled with the method, the route's template ({@link Router#ROUTE_ATTRIBUTE}, set by
 * the API that took the request; {@code other} for anything else: pages, unknown paths) and the
 * status. Labels never carry what a caller chose (a raw path, an odd method), so a caller cannot
 * make the series grow without bound.
 */
public final class HttpTiming extends Handler.Wrapper {
  /** The histogram's buckets: from a quick lookup to a long poll's 30 s. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");

  /** The label of a request no route took. */
  public static final String OTHER = "other";

  private final MeterRegistry registry;
  private final java.util.concurrent.ConcurrentHashMap<Labels, Timer> timers =
      new java.util.concurrent.ConcurrentHashMap<>();

  public HttpTiming(MeterRegistry registry, Handler handler) {
    super(handler);
    this.registry = registry;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long start = System.nanoTime();
    Callback timed =
        new Callback.Nested(callback) {
          @Override
          public void succeeded() {
            record(request, String.valueOf(response.getStatus()), start);
            super.succeeded();
          }

          @Override
          public void failed(Throwable failure) {
            // The answer did not go out whole (the caller hung up, the handler failed).
            record(request, "failed", start);
            super.failed(failure);
          }
        };
    boolean handled;
    try {
      handled = super.handle(request, response, timed);
    } catch (Exception | Error e) {
      record(request, "500", start); // Jetty answers it, without the callback above
      throw e;
    }
    if (!handled) {
      record(request, "404", start); // Jetty answers it
    }
    return handled;
  }

  private void record(Request request, String status, long start) {
    Object route = request.getAttribute(Router.ROUTE_ATTRIBUTE);
    String method = METHODS.contains(request.getMethod()) ? request.getMethod() : "OTHER";
    String template = route instanceof String given ? given : OTHER;
    // One timer a label set, found by one map lookup: building and registering it on every
    // request cost the registry's own lookup and its tags each time (issue 26). The labels are
    // bounded (see above), so is the map.
    timers
        .computeIfAbsent(
            new Labels(method, template, status),
            labels ->
                Timer.builder("http.server.requests")
                    .description("HTTP requests answered, by method, route template and status")
                    .tag("method", labels.method)
                    .tag("route", labels.route)
                    .tag("status", labels.status)
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry))
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }

  private record Labels(String method, String route, String status) {}
}
