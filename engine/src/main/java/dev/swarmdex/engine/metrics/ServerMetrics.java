package dev.swarmdex.engine.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * One program's meters, kept in a Micrometer {@link PrometheusMeterRegistry} and written in the
 * Prometheus text format by {@link MetricsEndpoint}: the JVM's (memory, GC, threads, classes, CPU,
 * uptime) from Micrometer's binders, the requests {@link HttpTiming} times, and what the program
 * binds of its own ({@link #counter}, {@link #gauge}). Each program has its own registry (several
 * run in one JVM in tests), never Micrometer's global one.
 *
 * <pre>{@code
 * try (ServerMetrics metrics = ServerMetrics.create()) {
 *   metrics.counter("swarmdex.searches", "user searches", api.counts()::searches);
 *   String text = metrics.scrape();
 * }
 * }</pre>
 */
public final class ServerMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;

  /** What the function counters read: Micrometer holds them weakly, so this registry keeps them. */
  private final List<Object> held = new CopyOnWriteArrayList<>();

  private final List<Runnable> refreshes = new CopyOnWriteArrayList<>();

  private ServerMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gc) {
    this.registry = registry;
    this.gc = gc;
  }

  /** A registry with the JVM's meters bound. */
  public static ServerMetrics create() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return new ServerMetrics(registry, gc);
  }

  /** The registry, for meters a part registers itself. */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * A counter read from a count the program keeps (a total since start, never going down): {@code
   * name} in Micrometer's dotted form, written {@code name_total} in Prometheus's.
   */
  public ServerMetrics counter(
      String name, String description, Supplier<? extends Number> count, String... tags) {
    held.add(count);
    FunctionCounter.builder(name, count, c -> c.get().doubleValue())
        .description(description)
        .tags(tags)
        .register(registry);
    return this;
  }

  /** A gauge read from a value the program keeps (how many now). */
  public ServerMetrics gauge(
      String name, String description, Supplier<? extends Number> value, String... tags) {
    Gauge.builder(name, value, v -> v.get().doubleValue())
        .strongReference(true)
        .description(description)
        .tags(tags)
        .register(registry);
    return this;
  }

  /** Runs {@code refresh} before every scrape (to set the rows of a multi-gauge, say). */
  public ServerMetrics beforeScrape(Runnable refresh) {
    refreshes.add(refresh);
    return this;
  }

  /** Every meter in the Prometheus text format (version 0.0.4). */
  public String scrape() {
    refreshes.forEach(Runnable::run);
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
