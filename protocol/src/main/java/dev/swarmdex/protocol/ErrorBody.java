package dev.swarmdex.protocol;

/**
 * Every error answer's body: what was wrong, in words a person can act on, and a stable code for
 * scripts (for example {@code bad_request}, {@code rejoin}).
 */
public record ErrorBody(String error, String code) {}
