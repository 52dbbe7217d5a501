package dev.swarmdex.system.web;

import static dev.swarmdex.system.web.LiveNetwork.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmdex.peer.PeerAgent;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The admin console's rough edges, in Chromium against a live network: plural nouns and labelled
 * query counters in the mesh view, a confirm step before a ban or a demotion (Escape and Cancel
 * change nothing), banners that belong to their tab, and the audit log rendered and paged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminConsoleEdgesTest {
  static final By MESSAGE = By.id("message");
  static final By AUDIT_ROWS = By.cssSelector("#audit-table tbody tr");
  static final ObjectMapper json = new ObjectMapper();

  @TempDir static Path root;
  static LiveNetwork network;
  static Browser browser;
  static PeerAgent alpha;
  static PeerAgent bravo;

  @BeforeAll
  static void start() throws Exception {
    network = LiveNetwork.start(root);
    browser = Browser.start(network.uri());
    Path a = root.resolve("a");
    writeFile(a, "Alpha One.txt", 1_000);
    writeFile(a, "Alpha Two.txt", 2_000);
    alpha = network.startPeer(2, a);
    bravo = network.startPeer(3, writeFile(root.resolve("b"), "Bravo.txt", 3_000).getParent());
    // 30 audit entries (15 bans and their lifts) through the admin API, so the log has two pages.
    HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    String csrf =
        json.readTree(
                adminCall(
                    http,
                    null,
                    "POST",
                    "login",
                    "{\"name\":\"admin\",\"password\":\"" + LiveNetwork.ADMIN_PASSWORD + "\"}"))
            .get("csrfToken")
            .asText();
    for (int i = 1; i <= 15; i++) {
      String ban =
          adminCall(
              http,
              csrf,
              "POST",
              "bans",
              "{\"ip\":\"198.51.100." + i + "\",\"reason\":\"probe " + i + "\"}");
      adminCall(http, csrf, "DELETE", "bans/" + json.readTree(ban).at("/ban/id").asText(), null);
    }
  }

  static String adminCall(HttpClient http, String csrf, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(network.uri().resolve("/api/v1/admin/" + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (csrf != null) {
      request.header("X-CSRF-Token", csrf);
    }
    HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, answer.statusCode(), answer.body());
    return answer.body();
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

  static String id(PeerAgent agent) {
    return agent.credentials().orElseThrow().peerId();
  }

  static void tab(String name) {
    browser.click(By.cssSelector(".tabs a[data-view='" + name + "']"));
    browser.visible(By.id("view-" + name));
  }

  static boolean dialogOpen() {
    return (Boolean) browser.script("return document.getElementById('confirm').open");
  }

  @Test
  @Order(1)
  void theMeshViewSpeaksInProperPluralsAndNamesItsCounters() throws Exception {
    browser.open("/admin/");
    browser.type(By.id("login-name"), "admin");
    browser.type(By.id("login-password"), LiveNetwork.ADMIN_PASSWORD);
    browser.driver().findElement(By.id("login-password")).sendKeys(Keys.ENTER);
    browser.visible(By.id("view-mesh"));
    String line =
        browser.waitFor(
            d -> {
              String text = d.findElement(By.id("mesh-index")).getText();
              return text.contains("2 leaves · 3 entries") ? text : null;
            });
    assertFalse(line.contains("leafs") || line.contains("entrys"), line);
    assertTrue(
        line.matches(
            "(?s).*queries: \\d+ received · \\d+ forwarded · \\d+ duplicates? · \\d+ hits?.*"),
        line);
    // A badge inside a nested group of cells shows as itself (it once read
    // "[object HTMLSpanElement]" in a demoting supernode's row).
    assertEquals(
        "peer-2 demoting",
        browser.script(
            "return import('/js/api.js').then(m => m.el('td', {},"
                + " [m.el('strong', {}, 'peer-2'), [' ', m.el('span', {}, 'demoting')]]).textContent)"));
    // Issue 25: the saved searches each directory keeps and holds; alpha saves one here.
    var me = alpha.credentials().orElseThrow();
    // From alpha's own address (127.0.0.2): the directory refuses its token from any other.
    try (var fromAlpha =
        dev.swarmdex.protocol.ApiClient.create(
            network.uri(), dev.swarmdex.system.Network.address(2))) {
      fromAlpha.addWatch(me, dev.swarmdex.protocol.WatchRequest.of("ondine"));
    }
    browser.waitFor(
        d -> {
          browser.click(By.cssSelector("#view-mesh button[data-action='refresh']"));
          return d.findElement(By.id("mesh-index"))
              .getText()
              .contains("saved searches: 1 kept · 1 held");
        });
    browser.screenshot("admin-edges-mesh");
  }

  @Test
  @Order(2)
  void aBanAsksFirstAndCancelOrEscapeChangeNothing() throws Exception {
    tab("bans");
    browser.type(By.id("ban-target"), "203.0.113.7");
    new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("ban-kind")))
        .selectByValue("ip");
    browser.type(By.id("ban-reason"), "hammering");
    browser.click(By.cssSelector("#ban button[type='submit']"));
    browser.showing(By.id("confirm-title"), "Ban every peer at 203.0.113.7?");
    assertEquals(
        "confirm-cancel",
        browser.driver().switchTo().activeElement().getAttribute("id"),
        "focus starts on Cancel, so a stray Enter confirms nothing");
    browser.screenshot("admin-edges-confirm-ban");
    browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
    browser.waitFor(d -> !dialogOpen());
    browser.click(By.cssSelector("#ban button[type='submit']"));
    browser.waitFor(d -> dialogOpen());
    browser.click(By.id("confirm-cancel"));
    browser.waitFor(d -> !dialogOpen());
    browser.click(By.cssSelector("#view-bans button[data-action='refresh']"));
    browser.showing(By.id("bans-table"), "Nobody is banned.");

    browser.click(By.cssSelector("#ban button[type='submit']"));
    browser.showing(By.id("confirm-title"), "Ban every peer at 203.0.113.7?");
    browser.click(By.id("confirm-yes"));
    browser.showing(MESSAGE, "Banned 203.0.113.7.");
    browser.waitFor(d -> d.findElement(By.id("bans-table")).getText().contains("203.0.113.7"));
  }

  @Test
  @Order(3)
  void aSuccessBannerStaysOnItsTab() throws Exception {
    assertTrue(browser.driver().findElement(MESSAGE).isDisplayed());
    tab("peers");
    browser.waitFor(d -> !d.findElement(MESSAGE).isDisplayed());
    tab("bans");
    assertFalse(browser.driver().findElement(MESSAGE).isDisplayed(), "not back on return either");
  }

  @Test
  @Order(4)
  void theAuditLogIsRenderedAndPaged() throws Exception {
    tab("audit");
    browser.showing(By.id("audit-range"), "Entries 1–25, newest first");
    assertEquals(25, browser.driver().findElements(AUDIT_ROWS).size());
    assertFalse(
        browser.driver().findElement(By.id("audit-table")).getText().contains("{\""),
        "no raw JSON in the log");
    String newestBan =
        browser.texts(AUDIT_ROWS).stream()
            .filter(t -> t.contains("hammering"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        newestBan.matches("(?s).*ip\\s+203\\.0\\.113\\.7.*reason\\s+hammering.*"), newestBan);
    assertTrue(browser.driver().findElement(By.id("audit-newer")).getAttribute("disabled") != null);
    browser.screenshot("admin-edges-audit");

    browser.click(By.id("audit-older"));
    browser.waitFor(d -> d.findElement(By.id("audit-range")).getText().startsWith("Entries 26–"));
    String older = browser.driver().findElement(By.id("audit-table")).getText();
    assertTrue(older.contains("probe 1"), "the oldest ban is on the second page: " + older);
    assertTrue(browser.driver().findElement(By.id("audit-older")).getAttribute("disabled") != null);
    browser.screenshot("admin-edges-audit-older");

    browser.click(By.id("audit-newer"));
    browser.showing(By.id("audit-range"), "Entries 1–25, newest first");
  }

  @Test
  @Order(5)
  void aDemotionAsksFirst() throws Exception {
    tab("candidates");
    browser.click(By.cssSelector("tr[data-key='" + id(alpha) + "'] button[data-action='promote']"));
    browser.waitFor(d -> d.findElement(MESSAGE).getText().startsWith("Promoting "));
    tab("mesh");
    By demote = By.cssSelector("button[aria-label='Demote peer-2']");
    browser.waitFor(
        d -> {
          browser.click(By.cssSelector("#view-mesh button[data-action='refresh']"));
          return !d.findElements(demote).isEmpty();
        });
    browser.click(demote);
    browser.showing(By.id("confirm-title"), "Demote peer-2?");
    assertTrue(
        browser.driver().findElement(By.id("confirm-text")).getText().contains("gone for good"));
    browser.screenshot("admin-edges-confirm-demote");
    browser.click(By.id("confirm-cancel"));
    browser.waitFor(d -> !dialogOpen());
    assertTrue(alpha.supernodeUri().isPresent(), "cancel left the supernode running");

    browser.click(demote);
    browser.showing(By.id("confirm-title"), "Demote peer-2?");
    browser.click(By.id("confirm-yes"));
    browser.waitFor(d -> d.findElement(MESSAGE).getText().startsWith("Demoting peer-2"));
    String row =
        browser.texts(By.cssSelector("#mesh-supernodes tr[data-key='" + id(alpha) + "']")).stream()
            .findFirst()
            .orElse("(already gone)");
    assertFalse(row.contains("[object"), row);
  }

  @Test
  @Order(6)
  void onAPhoneTheAuditLogAndTheDialogFit() throws Exception {
    browser.resize(Browser.PHONE);
    try {
      tab("audit");
      browser.showing(By.id("audit-range"), "Entries 1–25, newest first");
      assertFalse(browser.scrollsSideways(), "no horizontal scroll at 375 px");
      browser.screenshot("admin-edges-audit-phone");
    } finally {
      browser.resize(Browser.DESKTOP);
    }
  }
}
