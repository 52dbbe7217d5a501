/** What the agent shows a person at a terminal: progress lines and human-readable sizes. */
package dev.swarmdex.peer.terminal;
