/** Metrics for operators: the Prometheus registry, request timing and {@code GET /metrics}. */
package dev.swarmdex.engine.metrics;
