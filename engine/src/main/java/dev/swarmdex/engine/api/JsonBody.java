package dev.swarmdex.engine.api;

/** An answer's body already written as JSON ({@link AnswerCache}): sent as it is. */
record JsonBody(byte[] json) {}
