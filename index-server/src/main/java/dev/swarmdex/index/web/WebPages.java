package dev.swarmdex.index.web;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * Serves the web-ui module's pages from the classpath: the search page at {@code /} and the admin
 * console at {@code /admin/}. Everything comes from this server (no CDN), so the pages run with a
 * strict content security policy and may not be framed.
 */
public final class WebPages extends Handler.Wrapper {
  /** Where the web-ui module keeps its files on the classpath. */
  public static final String ROOT = "swarmdex-web/";

  private static final String POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  /** The pages' handler; it answers only paths that name one of them. */
  public static WebPages create() {
    ResourceHandler files = new ResourceHandler();
    WebPages pages = new WebPages(files);
    // A factory that lives and dies with this handler: the jar it mounts is released at stop (the
    // root factory never releases it, which Jetty reported as a leaked mount at every start).
    files.setBaseResource(ResourceFactory.of(pages).newClassLoaderResource(ROOT, false));
    files.setDirAllowed(false);
    files.setWelcomeFiles("index.html");
    files.setCacheControl("no-cache");
    return pages;
  }

  private WebPages(ResourceHandler files) {
    super(files);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (path.startsWith("/api/") || path.equals("/health") || path.equals("/ready")) {
      return false;
    }
    response.getHeaders().put("Content-Security-Policy", POLICY);
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("Referrer-Policy", "no-referrer");
    return super.handle(request, response, callback);
  }
}
