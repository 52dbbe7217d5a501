package dev.swarmdex.peer.serve;

import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.Json;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Every error the server itself produces (a malformed or ambiguous URI, an unsatisfiable range, an
 * exception) as an {@link ErrorBody} in JSON: never an HTML page, never a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    if (request.getAttribute(ERROR_STATUS) instanceof Integer code) {
      status = code;
    }
    if (status == HttpStatus.NOT_MODIFIED_304) {
      // Jetty's ResourceService answers a conditional GET the file still satisfies (If-None-Match
      // with its ETag) through this path: it is no error, and a 304 has no body.
      response.setStatus(status);
      response.write(true, BufferUtil.EMPTY_BUFFER, callback);
      return true;
    }
    if (status < 400) {
      status = HttpStatus.INTERNAL_SERVER_ERROR_500;
    }
    Object message = request.getAttribute(ERROR_MESSAGE);
    byte[] body = body(status, message instanceof String text ? text : null);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, FileHandler.JSON);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, FileHandler.JSON);
    return ByteBuffer.wrap(body(status, reason));
  }

  static byte[] body(int status, String message) {
    String text = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
    return Json.write(new ErrorBody(text, code(status)));
  }

  static String code(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 416 -> "range_not_satisfiable";
      case 500 -> "internal_error";
      default -> "http_" + status;
    };
  }
}
