/**
 * What crosses the wire between peer agents, directories and scripts: validated records, the JSON
 * codec and the HTTP client for the {@code /api/v1} API.
 */
package dev.swarmdex.protocol;
