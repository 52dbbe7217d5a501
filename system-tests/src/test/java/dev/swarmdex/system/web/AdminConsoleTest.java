package dev.swarmdex.system.web;

import static dev.swarmdex.system.web.LiveNetwork.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmdex.peer.PeerAgent;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The admin console in Chromium against a live network of an index server and three peers, each
 * sharing one file. Steps run in order in one browser: refused logins, login, a ban (and its effect
 * on the search page), lifting a ban, a promotion, the audit log, a phone-width view, and logout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminConsoleTest {
  static final By MESSAGE = By.id("message");
  static final By LOGIN_MESSAGE = By.id("login-message");
  static final Pattern THROTTLED = Pattern.compile("Too many attempts, retry in (\\d+) s\\.");

  @TempDir static Path root;
  static LiveNetwork network;
  static Browser browser;
  static PeerAgent alpha;
  static PeerAgent bravo;
  static PeerAgent rogue;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    network = LiveNetwork.start(root);
    browser = Browser.start(network.uri());
    alpha =
        network.startPeer(2, writeFile(root.resolve("a"), "Alpha Notes.txt", 2_000).getParent());
    bravo =
        network.startPeer(3, writeFile(root.resolve("b"), "Bravo Notes.txt", 3_000).getParent());
    rogue =
        network.startPeer(
            4, writeFile(root.resolve("c"), "Contraband Report.pdf", 4_000).getParent());
    browser.waitFor(d -> found("notes") == 2 && found("contraband report") == 1);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (network != null) {
      network.close();
    }
  }

  /** How many contents a search through the public API finds. */
  static int found(String words) {
    try {
      String body =
          http.send(
                  HttpRequest.newBuilder(
                          network
                              .uri()
                              .resolve(
                                  "/api/v1/search?q="
                                      + URLEncoder.encode(words, StandardCharsets.UTF_8)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return json.readTree(body).get("results").size();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String id(PeerAgent agent) {
    return agent.credentials().orElseThrow().peerId();
  }

  static void logIn(String password) {
    browser.type(By.id("login-name"), "admin");
    browser.type(By.id("login-password"), password);
    browser.driver().findElement(By.id("login-password")).sendKeys(Keys.ENTER);
  }

  /** Opens a console tab by its link, as a user would. */
  static void tab(String name) {
    browser.click(By.cssSelector(".tabs a[data-view='" + name + "']"));
    browser.visible(By.id("view-" + name));
  }

  /** Answers yes in the confirm dialog once it asks {@code question}. */
  static void confirm(String question) {
    browser.showing(By.id("confirm-title"), question);
    browser.click(By.id("confirm-yes"));
  }

  /** The row of {@code key} (a peer id, ban id, ...) in the visible view's table. */
  static By row(String key) {
    return By.cssSelector("section:not([hidden]) tr[data-key='" + key + "']");
  }

  @Test
  @Order(1)
  void aWrongPasswordIsRefusedAndRepeatedGuessesAreSlowedDown() throws Exception {
    browser.open("/admin/");
    browser.visible(By.id("login"));
    assertEquals("login-name", browser.driver().switchTo().activeElement().getAttribute("id"));
    browser.screenshot("admin-login");

    logIn("wrong password");
    browser.showing(LOGIN_MESSAGE, "Wrong name or password.");
    browser.screenshot("admin-login-refused");

    String text = "";
    for (int attempt = 0; attempt < 6 && !THROTTLED.matcher(text).matches(); attempt++) {
      browser.script("document.getElementById('login-message').textContent = ''");
      logIn("still wrong");
      text =
          browser.waitFor(
              d -> {
                String now = d.findElement(LOGIN_MESSAGE).getText();
                return now.isEmpty() ? null : now;
              });
      assertTrue(text.equals("Wrong name or password.") || THROTTLED.matcher(text).matches(), text);
    }
    Matcher throttled = THROTTLED.matcher(text);
    assertTrue(throttled.matches(), "after three failures the server asks to wait: " + text);
    browser.screenshot("admin-login-throttled");
    Thread.sleep(Long.parseLong(throttled.group(1)) * 1000 + 300);
  }

  @Test
  @Order(2)
  void loggingInShowsTheConsole() throws Exception {
    logIn(LiveNetwork.ADMIN_PASSWORD);
    browser.showing(By.id("who-name"), "admin");
    browser.visible(By.id("view-mesh"));
    browser.showing(
        By.cssSelector("#mesh-supernodes"),
        "No supernodes yet: the index server is the whole directory.");
    browser.screenshot("admin-mesh");

    tab("peers");
    for (PeerAgent agent : List.of(alpha, bravo, rogue)) {
      browser.visible(row(id(agent)));
      String shared = String.valueOf(agent.sharedCount());
      browser.waitFor(
          d ->
              d.findElement(row(id(agent)))
                  .findElement(By.cssSelector("td[data-label='Files']"))
                  .getText()
                  .equals(shared));
    }
    browser.screenshot("admin-peers");
  }

  @Test
  @Order(3)
  void banningAPeerRemovesItsFilesFromTheSearchPage() throws Exception {
    tab("peers");
    browser.click(
        By.cssSelector("tr[data-key='" + id(rogue) + "'] button[data-action='ban-peer']"));
    browser.visible(By.id("view-bans"));
    assertEquals(
        id(rogue), browser.driver().findElement(By.id("ban-target")).getAttribute("value"));
    assertEquals("ban-reason", browser.driver().switchTo().activeElement().getAttribute("id"));
    browser.driver().switchTo().activeElement().sendKeys("shares contraband", Keys.ENTER);
    confirm("Ban peer " + id(rogue) + "?");

    browser.showing(MESSAGE, "Banned " + id(rogue) + ".");
    String ban =
        browser.waitFor(
            d ->
                d.findElements(By.cssSelector("#bans-table tbody tr")).stream()
                    .map(WebElement::getText)
                    .filter(text -> text.contains(id(rogue)) && text.contains("shares contraband"))
                    .findFirst()
                    .orElse(null));
    assertTrue(ban.contains("admin"), ban);
    browser.screenshot("admin-bans");

    browser.open("/");
    browser.type(By.id("q"), "contraband report");
    browser.driver().findElement(By.id("q")).sendKeys(Keys.ENTER);
    browser.showing(
        By.id("message"), "No files match. Try fewer or shorter words, or loosen the filters.");
    browser.screenshot("search-after-ban");
  }

  @Test
  @Order(4)
  void anIpBanCanBeLifted() throws Exception {
    browser.open("/admin/#bans");
    browser.visible(By.id("ban"));
    new Select(browser.driver().findElement(By.id("ban-kind"))).selectByValue("ip");
    browser.type(By.id("ban-target"), "127.0.0.99");
    browser.type(By.id("ban-reason"), "probe");
    browser.click(By.cssSelector("#ban button[type='submit']"));
    confirm("Ban every peer at 127.0.0.99?");
    browser.showing(MESSAGE, "Banned 127.0.0.99.");
    By lift = By.cssSelector("#bans-table button[aria-label^='Lift ban']");
    browser.waitFor(d -> d.findElements(lift).size() == 2);

    String ipRow =
        browser.waitFor(
            d ->
                d.findElements(By.cssSelector("#bans-table tbody tr")).stream()
                    .filter(tr -> tr.getText().contains("127.0.0.99"))
                    .map(tr -> tr.getAttribute("data-key"))
                    .findFirst()
                    .orElse(null));
    browser.click(By.cssSelector("tr[data-key='" + ipRow + "'] button[data-action='lift']"));
    browser.showing(MESSAGE, "Ban lifted.");
    browser.waitFor(d -> d.findElements(lift).size() == 1);
  }

  @Test
  @Order(5)
  void promotingACandidateMakesItASupernodeInTheMeshView() throws Exception {
    tab("candidates");
    browser.visible(row(id(alpha)));
    assertTrue(
        browser.driver().findElements(row(id(rogue))).isEmpty(), "a banned peer is no candidate");
    browser.screenshot("admin-candidates");
    browser.click(By.cssSelector("tr[data-key='" + id(alpha) + "'] button[data-action='promote']"));
    browser.waitFor(d -> d.findElement(MESSAGE).getText().startsWith("Promoting "));

    tab("mesh");
    browser.waitFor(
        d -> {
          browser.click(By.cssSelector("#view-mesh button[data-action='refresh']"));
          return d.findElements(
                      By.cssSelector("#mesh-supernodes " + "tr[data-key='" + id(alpha) + "']"))
                  .size()
              == 1;
        });
    assertTrue(alpha.supernodeUri().isPresent(), "the agent runs the supernode role");
    browser.visible(By.cssSelector("button[aria-label='Demote peer-2']"));
    // Issue 21: each directory's digest size and routed searches, each number with its name.
    browser.waitFor(
        d ->
            d.findElement(
                    By.cssSelector(
                        "#mesh-supernodes tr[data-key='"
                            + id(alpha)
                            + "'] td[data-label='Routed']"))
                .getText()
                .matches("(?s).*\\d+ search(es)? · \\d+ messages?.*"));
    browser.waitFor(d -> d.findElement(By.id("mesh-index")).getText().contains("· routed: "));
    browser.screenshot("admin-mesh-promoted");

    tab("peers");
    try {
      browser.waitFor(d -> d.findElement(row(id(alpha))).getText().contains("supernode"));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          "peers view: "
              + browser.texts(By.id("peers-table"))
              + " api: "
              + browser.script("return fetch('/api/v1/admin/peers').then(r => r.text())"),
          e);
    }
  }

  @Test
  @Order(6)
  void theAuditLogShowsWhoDidWhat() throws Exception {
    tab("audit");
    List<String> needed = List.of("login_failed", "login", "ban", "lift-ban", "promote");
    browser.waitFor(
        d ->
            browser
                .texts(By.cssSelector("#audit-table td[data-label='Action']"))
                .containsAll(needed));
    String banRow =
        browser.texts(By.cssSelector("#audit-table tbody tr")).stream()
            .filter(text -> text.contains("shares contraband"))
            .findFirst()
            .orElseThrow();
    assertTrue(banRow.contains("admin") && banRow.contains("ban"), banRow);
    browser.screenshot("admin-audit");
  }

  @Test
  @Order(7)
  void onAPhoneTheConsoleFitsTheWidth() throws Exception {
    browser.resize(Browser.PHONE);
    try {
      tab("peers");
      browser.visible(row(id(bravo)));
      assertFalse(browser.scrollsSideways(), "no horizontal scroll at 375 px");
      browser.screenshot("admin-phone-peers");
    } finally {
      browser.resize(Browser.DESKTOP);
    }
  }

  @Test
  @Order(8)
  void loggingOutEndsTheSession() throws Exception {
    browser.click(By.id("logout"));
    browser.showing(LOGIN_MESSAGE, "You are logged out.");
    browser.open("/admin/");
    browser.visible(By.id("login"));
    assertFalse(browser.driver().findElement(By.id("console")).isDisplayed());
  }
}
