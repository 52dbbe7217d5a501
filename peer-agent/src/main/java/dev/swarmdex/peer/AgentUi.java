package dev.swarmdex.peer;

import dev.swarmdex.engine.http.Router;
import dev.swarmdex.peer.serve.FileServer;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PrivateFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own web UI for its owner: transfers, search, shares and reputation, served by the
 * agent on {@code 127.0.0.1:}{@value #DEFAULT_PORT} by default, all pages through the JSON API of
 * {@link AgentUiHandler}.
 *
 * <p>Opening it needs a secret kept in {@value #FILE} in the state folder (owner-only; the same
 * across restarts, so a bookmark keeps working): {@link #url()} is {@code /login?key=SECRET}, which
 * sets an HttpOnly, SameSite=Strict cookie derived from the secret and goes to the pages. Every API
 * call needs the cookie (else 401); every change also needs the CSRF token that {@code GET
 * /api/session} gives, in {@value #CSRF_HEADER} (else 403), as the admin console does.
 *
 * <pre>{@code
 * try (AgentUi ui = AgentUi.start(agent, config, InetAddress.getLoopbackAddress(), 0)) {
 *   System.out.println(ui.url());
 * }
 * }</pre>
 */
public final class AgentUi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentUi.class);

  /** The port the UI listens on when the owner names none. */
  public static final int DEFAULT_PORT = 7346;

  static final String FILE = "ui.json";
  static final String COOKIE = "swarmdex_agent";
  static final String CSRF_HEADER = "X-CSRF-Token";

  /** What {@value #FILE} holds: the secret and the URL that opens the UI with it. */
  record Saved(String secret, String url) {}

  private final String secret;
  private final ApiClient directory;
  private final FileServer server;
  private final URI url;
  private final List<Router.Route> routes;

  private AgentUi(
      PeerAgent agent, PeerAgentConfig config, InetAddress bind, int port, String secret)
      throws IOException {
    this.secret = secret;
    InetAddress from = config.bind().isAnyLocalAddress() ? null : config.bind();
    this.directory = ApiClient.create(config.server(), from, config.trust());
    AgentUiHandler handler = new AgentUiHandler(this, new AgentUiApi(agent, directory));
    this.routes = handler.routes();
    try {
      this.server = FileServer.start(bind, port, handler);
    } catch (IOException e) {
      directory.close();
      throw new IOException(
          "the web UI " + e.getMessage() + " (another agent's UI? --ui-port N picks another)", e);
    } catch (RuntimeException e) {
      directory.close();
      throw e;
    }
    String host = bind.isAnyLocalAddress() ? "127.0.0.1" : bind.getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    this.url = URI.create("http://" + host + ":" + server.port() + "/login?key=" + secret);
  }

  /** Every route the UI answers, as declared ({@code GET /api/openapi.json} describes them). */
  List<Router.Route> routes() {
    return routes;
  }

  /**
   * Starts the UI of {@code agent} (run with {@code config}) on {@code bind}:{@code port} (0: any
   * free port) and writes its URL into {@value #FILE}.
   */
  public static AgentUi start(PeerAgent agent, PeerAgentConfig config, InetAddress bind, int port)
      throws IOException {
    if (!bind.isLoopbackAddress()) {
      LOG.warn(
          "the agent's web UI listens on {}: anyone who can reach it there and learns the secret"
              + " drives this agent",
          bind.getHostAddress());
    }
    Path file = config.stateDir().resolve(FILE);
    AgentUi ui = new AgentUi(agent, config, bind, port, secret(file));
    try {
      PrivateFiles.write(file, Json.write(new Saved(ui.secret, ui.url + "")));
      return ui;
    } catch (IOException | RuntimeException e) {
      ui.close();
      throw e;
    }
  }

  /** The secret kept in {@code file}, or a new one when there is none (or it is not private). */
  private static String secret(Path file) {
    try {
      if (Files.exists(file)) {
        PrivateFiles.requireOwnerOnly(file, FILE);
        Saved saved = Json.read(Files.readAllBytes(file), Saved.class);
        if (saved.secret() != null && saved.secret().matches("[A-Za-z0-9_-]{43}")) {
          return saved.secret();
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("{} is unusable ({}); the UI gets a new secret", file, e.toString());
    }
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The URL kept in {@code stateDir}'s {@value #FILE}: what the {@code ui} command prints.
   *
   * @throws IOException when no agent with a UI ever ran with that state folder, or the file is
   *     open to others
   */
  static String savedUrl(Path stateDir) throws IOException {
    Path file = stateDir.resolve(FILE);
    if (!Files.exists(file)) {
      throw new IOException("no agent's web UI in " + stateDir + ": run 'share' with it first");
    }
    PrivateFiles.requireOwnerOnly(file, FILE);
    String url = Json.read(Files.readAllBytes(file), Saved.class).url();
    if (url == null) {
      throw new IOException(file + " names no URL");
    }
    return url;
  }

  /** The URL that opens the UI: it carries the secret, so show it to the owner only. */
  public URI url() {
    return url;
  }

  /** The UI's port. */
  public int port() {
    return server.port();
  }

  /** Whether {@code key} is the secret. */
  boolean isSecret(String key) {
    return key != null && same(key, secret);
  }

  /** The cookie value that shows the browser opened the secret URL. */
  String sessionValue() {
    return mac("swarmdex-agent-ui-session");
  }

  /** The CSRF token every change must carry. */
  String csrfToken() {
    return mac("swarmdex-agent-ui-csrf");
  }

  static boolean same(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private String mac(String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(
              secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  @Override
  public void close() {
    server.close();
    directory.close();
  }
}
