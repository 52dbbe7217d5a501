/** The one routing layer every HTTP API uses: method and path template to a resource. */
package dev.swarmdex.engine.http;
