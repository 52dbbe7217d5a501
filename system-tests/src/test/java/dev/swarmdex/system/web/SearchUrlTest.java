package dev.swarmdex.system.web;

import static dev.swarmdex.system.web.LiveNetwork.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.Magnet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * The search page's state lives in its URL, in Chromium against a live network: {@code /?q=...}
 * runs that search when opened, each search is a history entry (Back and Forward move between
 * them), and each result's "Download" offers a direct link, a magnet link and the Metalink.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SearchUrlTest {
  static final By RESULTS = By.cssSelector("#results > li");

  @TempDir static Path root;
  static LiveNetwork network;
  static Browser browser;
  static Path song;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    network = LiveNetwork.start(root);
    browser = Browser.start(network.uri());
    Path a = root.resolve("share-a");
    Path b = root.resolve("share-b");
    song = writeFile(a, "Feeling Good.mp3", 320_000);
    writeFile(b, "Feeling Good.mp3", 320_000);
    writeFile(a, "Sunset Holiday.jpg", 50_000);
    writeFile(b, "Sunset Holiday.mp4", 400_000);
    network.startPeer(2, a);
    network.startPeer(3, b);
    browser.open("/");
    browser.waitFor(d -> ((String) browser.script("return document.body.innerText")) != null);
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

  static List<String> names() {
    return browser.texts(By.cssSelector("#results h3"));
  }

  /** Waits until the page shows exactly these results, done searching. */
  static void waitForNames(String... expected) {
    browser.waitFor(
        d ->
            names().equals(List.of(expected))
                && d.findElement(By.id("search")).getAttribute("aria-busy") == null);
  }

  static String value(String id) {
    return browser.driver().findElement(By.id(id)).getAttribute("value");
  }

  static String pageQuery() {
    return URI.create(browser.driver().getCurrentUrl()).getRawQuery();
  }

  static HttpResponse<byte[]> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  @Order(1)
  void aSharedSearchLinkRunsItsSearchWhenOpened() throws Exception {
    // Both peers publish within a heartbeat or two; the opened link shows the song's two sources.
    browser.waitFor(
        d -> {
          browser.open("/?q=feeling+good");
          waitForNames("Feeling Good.mp3");
          return d.findElements(By.cssSelector("#results a.download")).size() == 2;
        });
    assertEquals("feeling good", value("q"), "the form shows the search the link names");

    browser.open("/?q=sunset+holiday&type=video&max=1+MB");
    waitForNames("Sunset Holiday.mp4");
    assertEquals("video", value("type"));
    assertEquals("1 MB", value("max"));
    browser.screenshot("search-url-opened");
  }

  @Test
  @Order(2)
  void theDownloadLinksGiveTheFileTheMagnetAndTheMetalink() throws Exception {
    browser.open("/?q=feeling+good");
    waitForNames("Feeling Good.mp3");
    WebElement result = browser.driver().findElement(RESULTS);
    assertEquals(
        "Download: Direct link Metalink Magnet link",
        result.findElement(By.cssSelector(".result-links")).getText().replaceAll("\\s+", " "));
    browser.screenshot("search-download-links");

    String direct = result.findElement(By.cssSelector("a.link-direct")).getAttribute("href");
    assertArrayEquals(Files.readAllBytes(song), get(direct).body(), "the direct link's bytes");

    String sha = result.getAttribute("data-sha256");
    Magnet magnet =
        Magnet.parse(result.findElement(By.cssSelector("a.link-magnet")).getAttribute("href"));
    assertEquals(
        new Magnet(
            dev.swarmdex.protocol.Sha256.of(sha), "Feeling Good.mp3", 320_000L, network.uri()),
        magnet);

    WebElement metalinkLink = result.findElement(By.cssSelector("a.link-metalink"));
    assertEquals("Feeling Good.mp3.meta4", metalinkLink.getAttribute("download"));
    String metalink = metalinkLink.getAttribute("href");
    assertEquals(magnet.metalink().toString(), metalink, "the magnet's xs is the Metalink");
    HttpResponse<byte[]> document = get(metalink);
    assertEquals(200, document.statusCode());
    String xml = new String(document.body(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(2, xml.split("<url ", -1).length - 1, "both sources: " + xml);
    assertTrue(xml.contains("<pieces length=\"1048576\" type=\"sha-256\">"), xml);
  }

  @Test
  @Order(3)
  void eachSearchIsAHistoryEntryThatBackAndForwardReturnTo() throws Exception {
    browser.open("/");
    search("sunset holiday");
    waitForNames("Sunset Holiday.jpg", "Sunset Holiday.mp4");
    assertEquals("q=sunset+holiday", pageQuery());

    new Select(browser.driver().findElement(By.id("type"))).selectByValue("video");
    search("sunset holiday");
    waitForNames("Sunset Holiday.mp4");
    assertEquals("q=sunset+holiday&type=video", pageQuery());

    new Select(browser.driver().findElement(By.id("type"))).selectByValue("");
    search("feeling good");
    waitForNames("Feeling Good.mp3");
    assertEquals("q=feeling+good", pageQuery());

    browser.driver().navigate().back();
    waitForNames("Sunset Holiday.mp4");
    assertEquals("video", value("type"), "the form shows the search it went back to");
    assertEquals("sunset holiday", value("q"));

    browser.driver().navigate().back();
    waitForNames("Sunset Holiday.jpg", "Sunset Holiday.mp4");
    assertEquals("", value("type"));

    browser.driver().navigate().back();
    waitForNames();
    assertEquals("", value("q"), "back to the empty form the test opened");

    browser.driver().navigate().forward();
    waitForNames("Sunset Holiday.jpg", "Sunset Holiday.mp4");
    browser.driver().navigate().forward();
    waitForNames("Sunset Holiday.mp4");
    assertEquals("q=sunset+holiday&type=video", pageQuery());
    browser.screenshot("search-url-forward");
  }

  @Test
  @Order(4)
  void onAPhoneTheLinksFitAndTheKeyboardReachesThem() throws Exception {
    browser.resize(Browser.PHONE);
    try {
      browser.open("/?q=feeling+good");
      waitForNames("Feeling Good.mp3");
      assertFalse(browser.scrollsSideways(), "no horizontal scroll at 375 px");
      browser.screenshot("search-url-phone");
      WebElement q = browser.driver().findElement(By.id("q"));
      q.click();
      StringBuilder reached = new StringBuilder();
      for (int i = 0; i < 20 && !reached.toString().contains("link-magnet"); i++) {
        browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
        reached
            .append(browser.driver().switchTo().activeElement().getAttribute("class"))
            .append(' ');
      }
      assertTrue(reached.toString().contains("link-magnet"), "Tab reaches the magnet: " + reached);
    } finally {
      browser.resize(Browser.DESKTOP);
    }
  }

  static void search(String words) {
    browser.type(By.id("q"), words);
    browser.driver().findElement(By.id("q")).sendKeys(Keys.ENTER);
  }
}
