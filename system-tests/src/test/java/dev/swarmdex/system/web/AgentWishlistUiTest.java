package dev.swarmdex.system.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.ApiException;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.system.Network;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The Wishlist page in Chromium, by keyboard: a wish typed with "download what it finds" ticked is
 * listed, saved at the directory, and when the seed later shares a matching file the page shows the
 * hit as downloading and the file arrives in the shared folder; the page fits a phone, and Remove
 * empties the list.
 */
class AgentWishlistUiTest {
  @TempDir static Path root;
  static AgentUiNetwork live;
  static Browser browser;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    // The seed shares nothing yet: its first publish is the match, so no directory has read which
    // words are watched (a read it keeps for a heartbeat) before the wish was held.
    Path seedDir = java.nio.file.Files.createDirectories(root.resolve("seed"));
    live = AgentUiNetwork.start(root, seedDir);
    browser = Browser.start(live.uiBase());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (live != null) {
      live.close();
    }
  }

  @Test
  void aWishAddedByKeyboardIsListedAndDownloadsWhatIsSharedLater() throws Exception {
    assertTrue(
        Network.eventually(Duration.ofSeconds(20), () -> live.mine.isJoined()), "mine joined");
    browser.driver().get(live.ui.url().toString());
    browser.visible(By.id("view-transfers"));
    browser.visible(By.cssSelector("a[data-view='wishlist']")).sendKeys(Keys.ENTER);
    browser.visible(By.id("view-wishlist"));
    browser.showing(
        By.id("wishes-empty"),
        "Your wishlist is empty. Add the words of a file you are looking for.");
    browser.type(By.id("wish-text"), "Ondine Ravel");
    browser.visible(By.id("wish-auto")).sendKeys(Keys.SPACE);
    assertTrue(browser.visible(By.id("wish-auto")).isSelected(), "ticked by keyboard");
    browser.visible(By.id("wish-text")).sendKeys(Keys.ENTER);
    browser.showing(
        By.id("message"),
        "Watching for \"Ondine Ravel\": matching files published from now on show under it.");
    browser.waitFor(
        d -> browser.texts(By.cssSelector("#wishes li.wish h3")).contains("Ondine Ravel"));
    wishShows("auto-download · 0 of 5");
    assertTrue(
        Network.eventually(Duration.ofSeconds(10), AgentWishlistUiTest::savedAtTheDirectory),
        "the agent saved the wish at its directory");
    assertTrue(
        Network.eventually(Duration.ofSeconds(10), AgentWishlistUiTest::heldAtItsRendezvous),
        "the directory holds the wish at the rendezvous of its word");

    byte[] content = new byte[100_000];
    new Random(7).nextBytes(content);
    Files.write(live.seed.shareDir().resolve("Ravel - Ondine.flac"), content);
    live.seed.rescanNow();
    browser.waitFor(
        d ->
            browser.texts(By.cssSelector("#wishes .wish-hit")).stream()
                .anyMatch(
                    t ->
                        t.contains("Ravel - Ondine.flac") && t.contains("queued · see Transfers")));
    Path fetched = live.mine.shareDir().resolve("Ravel - Ondine.flac");
    assertTrue(
        Network.eventually(Duration.ofSeconds(20), () -> Files.isRegularFile(fetched)),
        "the wish downloaded it");
    assertArrayEquals(content, Files.readAllBytes(fetched));
    wishShows("auto-download · 1 of 5");
    browser.screenshot("agent-ui-wishlist");
    browser.resize(Browser.PHONE);
    assertFalse(browser.scrollsSideways(), "the wishlist fits a phone's width");
    browser.screenshot("agent-ui-wishlist-phone");
    browser.resize(Browser.DESKTOP);

    browser.visible(By.cssSelector("#wishes .wish-remove")).sendKeys(Keys.ENTER);
    browser.showing(By.id("message"), "Removed \"Ondine Ravel\" from the wishlist.");
    browser.showing(
        By.id("wishes-empty"),
        "Your wishlist is empty. Add the words of a file you are looking for.");
    assertTrue(
        browser.driver().switchTo().activeElement().getAttribute("id").equals("wish-text"),
        "the keyboard is back in the words field");
  }

  private static void wishShows(String text) {
    browser.waitFor(
        d ->
            browser.texts(By.cssSelector("#wishes li.wish")).stream()
                .anyMatch(t -> t.contains(text)));
  }

  /**
   * The index server's metrics count one search held at it as a rendezvous (it is the only one).
   */
  private static boolean heldAtItsRendezvous() {
    try {
      String metrics =
          http.send(
                  HttpRequest.newBuilder(live.network.uri().resolve("/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return metrics.lines().anyMatch(l -> l.matches("swarmdex_watch_held(\\{.*\\})? 1(\\.0)?"));
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The directory holds the wish for the agent (what a publish is matched against), asked from the
   * agent's own address (127.0.0.3): the directory refuses its token from any other.
   */
  private static boolean savedAtTheDirectory() {
    Credentials me = live.mine.credentials().orElseThrow();
    try (ApiClient fromMine = ApiClient.create(live.network.uri(), Network.address(3))) {
      return fromMine.watches(me).watches().stream()
          .anyMatch(w -> w.query().text().equals("Ondine Ravel"));
    } catch (ApiException e) {
      return false;
    }
  }
}
