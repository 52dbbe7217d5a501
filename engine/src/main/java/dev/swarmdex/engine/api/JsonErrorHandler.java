package dev.swarmdex.engine.api;

import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.Json;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (a request line it cannot parse, a header too large, an exception that escaped
 * a handler) answered as the same JSON error body as the API's, never HTML or a stack.
 */
public final class JsonErrorHandler extends ErrorHandler {
  /**
   * Every method gets the JSON body: Jetty's own default answers only GET, POST and HEAD with a
   * body, so a PUT or DELETE with, say, an ambiguous path got an empty 400 (found by the fuzz
   * suite, {@code HostileInputTest}).
   */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    if (code < 400) {
      // Not an error: Jetty answers OPTIONS through here too, as a 200 with no body.
      callback.succeeded();
      return;
    }
    byte[] body = Json.write(new ErrorBody(describe(code, message), "http_" + code));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(Json.write(new ErrorBody(describe(status, reason), "http_" + status)));
  }

  private static String describe(int code, String message) {
    String reason = HttpStatus.getMessage(code);
    if (code >= 500 || message == null || message.isBlank() || message.equals(reason)) {
      return reason;
    }
    return reason + ": " + message;
  }
}
