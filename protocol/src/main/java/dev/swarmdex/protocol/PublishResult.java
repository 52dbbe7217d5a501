package dev.swarmdex.protocol;

/** The answer to a publish: how many entries the directory now holds for the peer. */
public record PublishResult(int entries) {}
