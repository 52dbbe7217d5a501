/** The central index server app: configuration, start-up and shutdown of its parts. */
package dev.swarmdex.index;
