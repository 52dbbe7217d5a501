package dev.swarmdex.engine.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Maps a method and a path to a route: the routing layer of every HTTP API here (the peer API, the
 * mesh calls, the relay, the admin API, the agent's file server and control endpoint). Each API
 * keeps its own route type and its own cross-cutting concerns (rate limits, sessions, error
 * bodies); the router only finds which route a request is for, or says why none is.
 *
 * <pre>{@code
 * Router<ApiRoute> routes = new Router<ApiRoute>()
 *     .add("GET", "/api/v1/peers/{id}/files", files::browse)
 *     .add("PUT", "/api/v1/peers/{id}/files", files::publish);
 * switch (routes.find(request.getMethod(), path)) { ... }
 * }</pre>
 *
 * <p>A template is segments separated by '/': a literal, {@code {name}} (any one non-empty segment)
 * or, last, {@code {name...}} (one or more segments: the rest of the path, slashes and all; {@code
 * /files/} gives it ""). The path is matched first, the method second: of the templates a path
 * fits, the most literal one (segment by segment, a literal before {@code {name}} before {@code
 * {name...}}) decides, and a method it does not take is {@link WrongMethod}, never another
 * template's route.
 *
 * @param <R> what a route is in the API using it
 */
public final class Router<R> {
  /**
   * The request attribute an API sets to the template of the route it took (for example {@code
   * /api/v1/peers/{id}/files}): what request metrics are labelled with, never the raw path, so the
   * labels stay as few as the routes.
   */
  public static final String ROUTE_ATTRIBUTE = "dev.swarmdex.route";

  /** What a request is for. */
  public sealed interface Match<R> permits Found, WrongMethod, Missing {}

  /** The route, with the values of its template's {@code {name}} segments, and its template. */
  public record Found<R>(R route, Map<String, String> params, String template) implements Match<R> {
    /** The value of path parameter {@code name}. */
    public String param(String name) {
      return params.get(name);
    }
  }

  /** The path is a route's, the method is not: {@code allowed} are the methods it takes. */
  public record WrongMethod<R>(Set<String> allowed) implements Match<R> {
    /** The allowed methods as a 405 message names them: {@code GET or PUT}. */
    public String names() {
      return String.join(" or ", allowed);
    }
  }

  /** No route has this path. */
  public record Missing<R>() implements Match<R> {}

  /**
   * A route as declared: its method and template. What an API lists to say which routes it answers
   * (its OpenAPI document is checked against them).
   */
  public record Route(String method, String template) {}

  private enum Kind {
    REST,
    PARAM,
    LITERAL
  }

  private record Segment(Kind kind, String text) {
    static Segment parse(String segment, boolean last, String template) {
      if (segment.startsWith("{") && segment.endsWith("}")) {
        String name = segment.substring(1, segment.length() - 1);
        boolean rest = name.endsWith("...");
        if (rest) {
          name = name.substring(0, name.length() - 3);
        }
        if (!name.matches("[A-Za-z][A-Za-z0-9]*") || (rest && !last)) {
          throw new IllegalArgumentException("bad path parameter " + segment + " in " + template);
        }
        return new Segment(rest ? Kind.REST : Kind.PARAM, name);
      }
      if (segment.contains("{") || segment.contains("}")) {
        throw new IllegalArgumentException("bad path segment " + segment + " in " + template);
      }
      return new Segment(Kind.LITERAL, segment);
    }
  }

  private record Entry<R>(String method, List<Segment> segments, R route, String template) {
    /** The path parameters if {@code parts} fits this template, else null. */
    Map<String, String> match(String[] parts) {
      boolean rest = !segments.isEmpty() && segments.get(segments.size() - 1).kind == Kind.REST;
      int fixed = rest ? segments.size() - 1 : segments.size();
      if (rest ? parts.length <= fixed : parts.length != fixed) {
        return null;
      }
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 0; i < fixed; i++) {
        Segment segment = segments.get(i);
        if (segment.kind == Kind.LITERAL) {
          if (!segment.text.equals(parts[i])) {
            return null;
          }
        } else if (parts[i].isEmpty()) {
          return null;
        } else {
          params.put(segment.text, parts[i]);
        }
      }
      if (rest) {
        params.put(
            segments.get(fixed).text,
            String.join("/", List.of(parts).subList(fixed, parts.length)));
      }
      return params;
    }

    /** Positive when this template is more literal than {@code other}'s. */
    int compareShape(Entry<?> other) {
      for (int i = 0; i < Math.min(segments.size(), other.segments.size()); i++) {
        int by = segments.get(i).kind.compareTo(other.segments.get(i).kind);
        if (by != 0) {
          return by;
        }
      }
      return Integer.compare(segments.size(), other.segments.size());
    }

    boolean sameShape(Entry<?> other) {
      if (segments.size() != other.segments.size()) {
        return false;
      }
      for (int i = 0; i < segments.size(); i++) {
        Segment a = segments.get(i);
        Segment b = other.segments.get(i);
        if (a.kind != b.kind || (a.kind == Kind.LITERAL && !a.text.equals(b.text))) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Entry<R>> entries = new CopyOnWriteArrayList<>();

  /**
   * Adds a route.
   *
   * @throws IllegalArgumentException if the template is malformed or already has this method
   */
  public Router<R> add(String method, String template, R route) {
    Objects.requireNonNull(route, "route");
    String verb = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
    String[] parts = Objects.requireNonNull(template, "template").split("/", -1);
    List<Segment> segments = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      segments.add(Segment.parse(parts[i], i == parts.length - 1, template));
    }
    Entry<R> added = new Entry<>(verb, List.copyOf(segments), route, template);
    synchronized (entries) {
      for (Entry<R> existing : entries) {
        if (existing.method.equals(verb) && existing.sameShape(added)) {
          throw new IllegalArgumentException(verb + " " + template + " is already a route");
        }
      }
      entries.add(added);
    }
    return this;
  }

  /** Every route added, in the order added. */
  public List<Route> routes() {
    return entries.stream().map(entry -> new Route(entry.method, entry.template)).toList();
  }

  /** The route for {@code method} on {@code path}, or why there is none. */
  public Match<R> find(String method, String path) {
    String[] parts = path.split("/", -1);
    Entry<R> best = null;
    Map<String, String> bestParams = null;
    List<Entry<R>> shaped = new ArrayList<>();
    for (Entry<R> entry : entries) {
      Map<String, String> params = entry.match(parts);
      if (params == null) {
        continue;
      }
      int by = best == null ? 1 : entry.compareShape(best);
      if (by > 0) {
        shaped.clear();
      }
      if (by >= 0) {
        shaped.add(entry);
        if (by > 0 || !best.method.equals(method)) {
          best = entry;
          bestParams = params;
        }
      }
    }
    if (best == null) {
      return new Missing<>();
    }
    if (best.method.equals(method)) {
      return new Found<>(best.route, Collections.unmodifiableMap(bestParams), best.template);
    }
    Set<String> allowed = new TreeSet<>();
    shaped.forEach(entry -> allowed.add(entry.method));
    return new WrongMethod<>(allowed);
  }
}
