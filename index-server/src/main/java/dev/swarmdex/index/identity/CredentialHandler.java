package dev.swarmdex.index.identity;

import dev.swarmdex.engine.api.ErrorMapping;
import dev.swarmdex.protocol.ErrorBody;
import dev.swarmdex.protocol.IndexKey;
import dev.swarmdex.protocol.Json;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/v1/credential} (the caller's own voucher, by its bearer token) and {@code GET
 * /api/v1/credential/key} (the public key vouchers are signed with); any other method is 405.
 */
public final class CredentialHandler extends Handler.Abstract {
  /** The caller's voucher; {@code PATH + "/key"} is the key vouchers are signed with. */
  public static final String PATH = "/api/v1/credential";

  private final Vouchers vouchers;
  private final Consumer<Request> limit;

  /**
   * @param limit spends a request of the caller's address (the API's limit), throwing 429 beyond
   *     it: each voucher costs a token lookup and a signature
   */
  public CredentialHandler(Vouchers vouchers, Consumer<Request> limit) {
    this.vouchers = vouchers;
    this.limit = limit;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.equals(PATH) && !path.equals(PATH + "/key")) {
      return false;
    }
    int status = 200;
    Object body;
    long retryAfter = 0;
    if (!request.getMethod().equals("GET")) {
      status = 405;
      body =
          new ErrorBody(
              request.getMethod() + " is not allowed here; use GET", "method_not_allowed");
    } else {
      try {
        limit.accept(request);
        body =
            path.equals(PATH)
                ? vouchers.vouchFor(bearer(request))
                : new IndexKey(vouchers.publicKey());
      } catch (RuntimeException e) {
        ErrorMapping.Answer answer = ErrorMapping.of(e);
        status = answer.status();
        body = answer.body();
        retryAfter = answer.retryAfterSeconds();
      }
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    if (retryAfter > 0) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfter));
    }
    if (status == 401) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"swarmdex\"");
    }
    response.write(true, ByteBuffer.wrap(Json.write(body)), callback);
    return true;
  }

  private static String bearer(Request request) {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    return header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : null;
  }
}
