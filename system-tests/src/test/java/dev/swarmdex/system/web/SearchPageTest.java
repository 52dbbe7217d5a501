package dev.swarmdex.system.web;

import static dev.swarmdex.system.web.LiveNetwork.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.SharedFile;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The search page in Chromium against a live network: two peers share a song (one content, two
 * sources), a photo and a video of the same name, and 25 numbered files between them; a third peer
 * is firewalled. Steps run in order on one page; the last one stops the server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SearchPageTest {
  static final int PAGING_FILES = 25;
  static final By RESULTS = By.cssSelector("#results > li");
  static final By MESSAGE = By.id("message");

  @TempDir static Path root;
  static LiveNetwork network;
  static Browser browser;
  static Path song;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    network = LiveNetwork.start(root);
    browser = Browser.start(network.uri());
    Path a = root.resolve("share-a");
    Path b = root.resolve("share-b");
    song = writeFile(a, "Feeling Good.mp3", 320_000);
    writeFile(b, "Feeling Good.mp3", 320_000);
    writeFile(a, "Sunset Holiday.jpg", 50_000);
    writeFile(a, "Sunset Holiday.mp4", 400_000);
    for (int i = 1; i <= PAGING_FILES; i++) {
      writeFile(i % 2 == 0 ? a : b, String.format("Paging Sample %02d.txt", i), 1_000 + i);
    }
    network.startPeer(2, a);
    network.startPeer(3, b);
    network.startFirewalledPeer(
        9, List.of(new SharedFile("Blue Moon Demo.mp3", 123_456, Sha256.of("ab".repeat(32)))));
    browser.waitFor(
        d ->
            apiSearch("paging sample").get("total").asInt() == PAGING_FILES
                && apiSearch("feeling good").at("/results/0/sources").size() == 2);
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

  /** Types {@code words} into the search box and presses Enter. */
  static void search(String words) {
    browser.type(By.id("q"), words);
    browser.driver().findElement(By.id("q")).sendKeys(Keys.ENTER);
  }

  static void waitForResults(int count) {
    browser.waitFor(d -> d.findElements(RESULTS).size() == count && !busy());
  }

  static boolean busy() {
    return browser.driver().findElement(By.id("search")).getAttribute("aria-busy") != null;
  }

  static JsonNode apiSearch(String words) {
    try {
      return json.readTree(apiGet("/api/v1/search?q=" + encode(words)).body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static HttpResponse<String> apiGet(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(network.uri().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  @Order(1)
  void theStatsLineShowsTheNetwork() throws Exception {
    browser.open("/");
    JsonNode stats = json.readTree(apiGet("/api/v1/stats").body());
    String expected = "3 peers online · " + stats.get("files").asInt() + " files · 1.24 MB shared";
    browser.showing(By.id("stats"), expected);
    assertEquals("q", browser.driver().switchTo().activeElement().getAttribute("id"));
    browser.screenshot("search-start");
  }

  @Test
  @Order(2)
  void aSongSharedByTwoPeersIsOneResultWithTwoWorkingLinks() throws Exception {
    search("feeling good");
    waitForResults(1);
    WebElement result = browser.driver().findElement(RESULTS);
    assertEquals("Feeling Good.mp3", result.findElement(By.cssSelector("h3")).getText());
    String meta = result.findElement(By.cssSelector(".result-meta")).getText();
    // Both peers are on 127.0.0.x: one network (a /24), however many peers run there.
    assertTrue(
        meta.contains("audio")
            && meta.contains("320 KB")
            && meta.contains("2 sources on 1 network"),
        meta);
    assertFalse(meta.contains("Reputation"), "no source has earned a level yet, so none is shown");
    List<WebElement> links = result.findElements(By.cssSelector("a.download"));
    assertEquals(2, links.size());
    browser.screenshot("search-results");

    for (WebElement link : links) {
      HttpResponse<byte[]> file =
          http.send(
              HttpRequest.newBuilder(URI.create(link.getAttribute("href"))).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, file.statusCode());
      assertArrayEquals(Files.readAllBytes(song), file.body(), "the link gives the shared bytes");
    }
  }

  @Test
  @Order(3)
  void aFirewalledSourceIsMarkedAndNotLinked() throws Exception {
    search("blue moon");
    waitForResults(1);
    WebElement result = browser.driver().findElement(RESULTS);
    assertEquals(
        List.of("Magnet link"),
        browser.texts(By.cssSelector("#results a")),
        "no direct link or Metalink to a firewalled peer, only the magnet (get relays it)");
    assertTrue(result.getText().contains("firewalled"), result.getText());
    browser.screenshot("search-firewalled");
  }

  @Test
  @Order(4)
  void typeAndSizeFiltersNarrowTheResults() throws Exception {
    search("sunset holiday");
    waitForResults(2);

    new Select(browser.driver().findElement(By.id("type"))).selectByValue("video");
    search("sunset holiday");
    waitForResults(1);
    assertEquals(List.of("Sunset Holiday.mp4"), browser.texts(By.cssSelector("#results h3")));

    new Select(browser.driver().findElement(By.id("type"))).selectByValue("");
    browser.type(By.id("max"), "100 KB");
    search("sunset holiday");
    waitForResults(1);
    assertEquals(List.of("Sunset Holiday.jpg"), browser.texts(By.cssSelector("#results h3")));
    browser.screenshot("search-filtered");

    browser.type(By.id("max"), "ten megs");
    search("sunset holiday");
    WebElement message = browser.visible(MESSAGE);
    assertTrue(
        message.getText().startsWith("Max size: \"ten megs\" is not a size"), message.getText());
    assertTrue(browser.driver().findElements(RESULTS).isEmpty());
    browser.driver().findElement(By.id("max")).clear();
  }

  @Test
  @Order(5)
  void moreResultsAppendsTheNextPage() throws Exception {
    search("paging sample");
    waitForResults(20);
    browser.showing(By.id("summary"), "Showing 20 of 25 files");
    browser.screenshot("search-page-one");

    browser.click(By.id("more"));
    waitForResults(PAGING_FILES);
    browser.showing(By.id("summary"), "Showing 25 of 25 files");
    assertFalse(browser.driver().findElement(By.id("more")).isDisplayed(), "nothing more to load");
    assertEquals(
        PAGING_FILES,
        browser.texts(By.cssSelector("#results h3")).stream().distinct().count(),
        "no result shown twice");
    List<String> apiOrder = new ArrayList<>(apiNames("paging sample", 0));
    apiOrder.addAll(apiNames("paging sample", 20));
    assertEquals(
        apiOrder,
        browser.texts(By.cssSelector("#results h3")),
        "the page shows the API's order, page after page, and sorts nothing again");
  }

  /** The names of a page of 20 results of {@code words}, in the API's order. */
  static List<String> apiNames(String words, int offset) throws Exception {
    JsonNode page =
        json.readTree(
            apiGet("/api/v1/search?limit=20&offset=" + offset + "&q=" + encode(words)).body());
    List<String> names = new ArrayList<>();
    page.get("results").forEach(result -> names.add(result.get("name").asText()));
    return names;
  }

  @Test
  @Order(6)
  void aQueryTheApiRefusesShowsTheApisMessage() throws Exception {
    HttpResponse<String> refused = apiGet("/api/v1/search?q=" + encode("!!! ???"));
    assertEquals(400, refused.statusCode());
    String error = json.readTree(refused.body()).get("error").asText();

    search("!!! ???");
    browser.showing(MESSAGE, error);
    assertTrue(
        browser.driver().findElement(MESSAGE).getAttribute("class").contains("notice-error"));
    browser.screenshot("search-bad-query");
  }

  @Test
  @Order(7)
  void aSearchWithoutMatchesSaysSo() throws Exception {
    search("xylophone quartet");
    browser.showing(MESSAGE, "No files match. Try fewer or shorter words, or loosen the filters.");
    assertTrue(browser.driver().findElements(RESULTS).isEmpty());
  }

  @Test
  @Order(8)
  void onAPhoneThePageFitsTheWidth() throws Exception {
    browser.resize(Browser.PHONE);
    try {
      search("feeling good");
      waitForResults(1);
      assertFalse(browser.scrollsSideways(), "no horizontal scroll at 375 px");
      browser.screenshot("search-phone");
    } finally {
      browser.resize(Browser.DESKTOP);
    }
  }

  @Test
  @Order(9)
  void anUnreachableServerIsReported() throws Exception {
    network.stopServer();
    search("feeling good");
    browser.showing(MESSAGE, "Can't reach Swarmdex. Check that it is running, then try again.");
    browser.screenshot("search-unreachable");
  }
}
