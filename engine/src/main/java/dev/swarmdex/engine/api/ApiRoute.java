package dev.swarmdex.engine.api;

/**
 * One route of the peer API: what it returns is written as the JSON answer ({@code null} becomes
 * {@code {"status":"ok"}}); a {@link java.util.concurrent.CompletableFuture} is answered when it
 * completes. Anything thrown goes through {@link ErrorMapping}.
 */
@FunctionalInterface
interface ApiRoute {
  Object answer(ApiCall call);
}
