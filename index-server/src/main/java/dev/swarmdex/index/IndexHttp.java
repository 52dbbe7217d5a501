package dev.swarmdex.index;

import dev.swarmdex.engine.api.ApiHandler;
import dev.swarmdex.engine.http.ApiDescription;
import dev.swarmdex.engine.http.Router;
import dev.swarmdex.engine.server.DirectoryHttp;
import dev.swarmdex.index.admin.AdminHandler;
import dev.swarmdex.index.identity.CredentialHandler;
import dev.swarmdex.index.web.WebPages;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Handler;

/**
 * The index server's HTTP application: its handlers in the order they are asked, and every route
 * they answer ({@code GET /metrics}, which {@code DirectoryHttp} answers before them, included).
 * The directory's API serves the OpenAPI document of them all: the engine's {@code openapi.json}
 * with this package's (the admin API and the credential routes) added.
 */
record IndexHttp(Handler handler, List<Router.Route> routes) {
  /** The admin API's and credential routes' OpenAPI document, beside this class. */
  static final String DOCUMENT = "openapi.json";

  static IndexHttp of(AdminHandler admin, CredentialHandler credentials, ApiHandler api) {
    api.describe(ApiHandler.description().with(ApiDescription.read(IndexHttp.class, DOCUMENT)));
    List<Router.Route> routes = new ArrayList<>(admin.routes());
    // The credential routes are matched by hand (two paths, GET only): listed here.
    routes.add(new Router.Route("GET", CredentialHandler.PATH));
    routes.add(new Router.Route("GET", CredentialHandler.PATH + "/key"));
    routes.addAll(api.routes());
    return new IndexHttp(
        new Handler.Sequence(admin, credentials, api, WebPages.create()),
        DirectoryHttp.routes(routes));
  }
}
