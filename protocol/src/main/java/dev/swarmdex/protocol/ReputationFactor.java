package dev.swarmdex.protocol;

/**
 * One part of a level: its name ({@code uploads}, {@code popularity}, {@code uptime}, {@code
 * reports}), the points it adds (negative for reports) and a sentence saying why.
 */
public record ReputationFactor(String name, int points, String why) {}
