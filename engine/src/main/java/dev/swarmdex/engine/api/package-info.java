/**
 * The directory's JSON API over HTTP ({@code /api/v1}): routing, request limits, rate limiting and
 * the one mapping from errors to HTTP statuses.
 */
package dev.swarmdex.engine.api;
