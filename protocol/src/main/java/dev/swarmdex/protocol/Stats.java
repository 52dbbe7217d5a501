package dev.swarmdex.protocol;

/** The network as one directory sees it: peers online, files shared, and their total bytes. */
public record Stats(long peers, long files, long bytes) {}
