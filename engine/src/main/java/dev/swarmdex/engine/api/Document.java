package dev.swarmdex.engine.api;

/**
 * An answer that is not JSON (a Metalink): written as {@code body} with {@code contentType}, and
 * {@code fileName} as the {@code Content-Disposition} name when it is not null.
 */
record Document(String contentType, String fileName, byte[] body) {}
