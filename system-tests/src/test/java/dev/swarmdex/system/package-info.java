/** Whole Swarmdex networks started in one JVM, one loopback address per node, real sockets. */
package dev.swarmdex.system;
