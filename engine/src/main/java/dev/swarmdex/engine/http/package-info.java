/**
 * The one routing layer every HTTP API uses (method and path template to a resource), and the
 * OpenAPI documents that describe those routes.
 */
package dev.swarmdex.engine.http;
