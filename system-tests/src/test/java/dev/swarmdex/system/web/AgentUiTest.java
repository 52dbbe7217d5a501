package dev.swarmdex.system.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.protocol.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * The agent's own web UI in Chromium against a live network: a search downloads with one click into
 * the queue, which shows progress, verified chunks and each source's bytes; a second download waits
 * its turn (one at a time here) instead of being refused; pause holds a download, and after the
 * agent restarts the queue comes back with the bytes it had, and resume finishes it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentUiTest {
  static final int BIG = 8 * 1024 * 1024;
  @TempDir static Path root;
  static AgentUiNetwork live;
  static Browser browser;
  static Path song;
  static Path small;

  @BeforeAll
  static void start() throws Exception {
    Path seed = root.resolve("seed");
    song = LiveNetwork.writeFile(seed, "Feeling Good.flac", BIG);
    small = LiveNetwork.writeFile(seed, "Sunset Holiday.jpg", 200_000);
    live = AgentUiNetwork.start(root, seed);
    live.mine.transfers().atOnce(1);
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

  static By transfer(String name) {
    return By.xpath("//li[contains(@class,'transfer')][.//h3[normalize-space()='" + name + "']]");
  }

  static String text(String name) {
    return browser.driver().findElement(transfer(name)).getText();
  }

  static String state(String name) {
    return browser
        .driver()
        .findElement(transfer(name))
        .findElement(By.cssSelector(".state"))
        .getText();
  }

  @Test
  @Order(1)
  void withoutTheKeyThePageSaysHowToOpenIt() throws Exception {
    browser.open("/");
    browser.showing(
        By.id("message"),
        "This page needs your agent's key: run 'swarmdex-peer-agent ui --dir"
            + " YOUR_SHARED_FOLDER' and open the link it prints.");
    assertFalse(browser.driver().findElement(By.id("nav")).isDisplayed());
    browser.screenshot("agent-ui-locked");
  }

  @Test
  @Order(2)
  void aSearchResultDownloadsWithOneClick() throws Exception {
    browser.driver().get(live.ui.url().toString());
    browser.visible(By.id("view-transfers"));
    assertEquals(live.uiBase() + "", browser.driver().getCurrentUrl(), "the key left the URL");
    browser.click(By.cssSelector("a[data-view='search']"));
    // The seed publishes within a heartbeat or two.
    browser.waitFor(
        d -> {
          browser.type(By.id("q"), "feeling good");
          browser.visible(By.id("q")).sendKeys(Keys.ENTER);
          return browser.texts(By.cssSelector("#results h3")).contains("Feeling Good.flac");
        });
    WebElement result = browser.visible(By.cssSelector("#results > li"));
    String meta = result.findElement(By.cssSelector(".source-count")).getText();
    assertEquals("1 source · 1 address · 1 network", meta);
    assertTrue(result.getText().contains("level "), result.getText());
    browser.screenshot("agent-ui-search");
    browser.resize(Browser.PHONE);
    assertFalse(browser.scrollsSideways(), "search results fit a phone's width");
    browser.screenshot("agent-ui-search-phone");
    browser.resize(Browser.DESKTOP);

    result.findElement(By.cssSelector("button.download-button")).click();
    browser.showing(By.id("message"), "Queued Feeling Good.flac: see Transfers.");
    browser.click(By.cssSelector("a[data-view='transfers']"));
    // Running, with progress, verified chunks and the seed's bytes showing.
    browser.waitFor(
        d ->
            state("Feeling Good.flac").equals("running")
                && text("Feeling Good.flac").matches("(?s).*[1-7] of 8 chunks verified.*")
                && text("Feeling Good.flac")
                    .matches(
                        "(?s).*127\\.0\\.0\\.2:\\d+/files/\\S+\\s+[0-9.]+ MB · [0-9.]+ [KM]?B/s.*"));
    browser.screenshot("agent-ui-transfer-running");
  }

  @Test
  @Order(3)
  void aSecondDownloadWaitsItsTurnAndMovesUp() throws Exception {
    String hex =
        Sha256.ofDigest(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(small)))
            .hex();
    browser.type(By.id("magnet"), "magnet:?xt=urn:sha256:" + hex + "&dn=Sunset+Holiday.jpg");
    browser.visible(By.id("magnet")).sendKeys(Keys.ENTER);
    browser.showing(By.id("message"), "Queued Sunset Holiday.jpg.");
    browser.waitFor(d -> state("Sunset Holiday.jpg").equals("queued #2"));
    browser
        .driver()
        .findElement(transfer("Sunset Holiday.jpg"))
        .findElement(By.cssSelector("[data-action='up']"))
        .click();
    browser.waitFor(d -> state("Sunset Holiday.jpg").equals("queued #1"));
    assertEquals("running", state("Feeling Good.flac"), "moving up does not stop what runs");
    browser.resize(Browser.PHONE);
    assertFalse(browser.scrollsSideways(), "fits a phone's width");
    browser.screenshot("agent-ui-queue-phone");
    browser.resize(Browser.DESKTOP);
  }

  @Test
  @Order(4)
  void pauseHoldsADownloadAndTheNextOneRuns() throws Exception {
    // With the keyboard: Enter on Pause, and the focus stays on the transfer's Resume.
    browser
        .driver()
        .findElement(transfer("Feeling Good.flac"))
        .findElement(By.cssSelector("[data-action='pause']"))
        .sendKeys(Keys.ENTER);
    browser.waitFor(d -> state("Feeling Good.flac").equals("paused"));
    browser.waitFor(
        d ->
            "Resume Feeling Good.flac"
                .equals(d.switchTo().activeElement().getAttribute("aria-label")));
    // With the big one paused, the small one runs and finishes.
    browser.waitFor(
        d ->
            browser.texts(By.cssSelector("#finished h3")).contains("Sunset Holiday.jpg")
                && text("Sunset Holiday.jpg").contains(root.resolve("mine") + ""));
    assertArrayEquals(
        Files.readAllBytes(small),
        Files.readAllBytes(root.resolve("mine").resolve("Sunset Holiday.jpg")));
    browser.screenshot("agent-ui-paused");
  }

  @Test
  @Order(5)
  void afterARestartTheQueueAndItsProgressComeBackAndARunningOneCarriesOn() throws Exception {
    long before = verified(text("Feeling Good.flac"));
    assertTrue(before > 0, "paused with some bytes: " + text("Feeling Good.flac"));
    live.restartMine();
    browser.driver().navigate().refresh();
    browser.waitFor(d -> state("Feeling Good.flac").equals("paused"));
    assertEquals(before, verified(text("Feeling Good.flac")), "the bytes it had came back");
    assertTrue(browser.texts(By.cssSelector("#finished h3")).contains("Sunset Holiday.jpg"));
    browser.screenshot("agent-ui-after-restart");

    browser
        .driver()
        .findElement(transfer("Feeling Good.flac"))
        .findElement(By.cssSelector("[data-action='resume']"))
        .click();
    browser.waitFor(
        d ->
            state("Feeling Good.flac").equals("running")
                && verified(text("Feeling Good.flac")) > before);
    // Stopped while it runs: it comes back and carries on by itself.
    live.restartMine();
    browser.driver().navigate().refresh();
    browser.waitFor(
        d -> browser.texts(By.cssSelector("#finished h3")).contains("Feeling Good.flac"));
    Path saved = root.resolve("mine").resolve("Feeling Good.flac");
    assertTrue(text("Feeling Good.flac").contains("saved to " + saved), text("Feeling Good.flac"));
    assertArrayEquals(Files.readAllBytes(song), Files.readAllBytes(saved));
    browser.screenshot("agent-ui-done");
  }

  @Test
  @Order(6)
  void mySharesShowTheFolderItsFilesAndMyLevel() throws Exception {
    browser.click(By.cssSelector("a[data-view='shares']"));
    browser.waitFor(
        d ->
            browser
                .texts(By.cssSelector("#shares dd"))
                .equals(
                    java.util.List.of(
                        root.resolve("mine") + "",
                        "2 (8.59 MB)",
                        live.mine.credentials().orElseThrow().peerId(),
                        "yes")));
    browser.waitFor(
        d ->
            browser
                .texts(By.cssSelector("#share-folders tr.share-folder"))
                .equals(java.util.List.of("(top folder) 2 8.59 MB")));
    browser.waitFor(d -> browser.texts(By.cssSelector("#reputation .level")).size() == 1);
    assertTrue(
        browser.texts(By.cssSelector("#reputation .level")).get(0).matches("Level \\d+"),
        browser.texts(By.cssSelector("#reputation")).toString());
    browser.screenshot("agent-ui-shares");
  }

  /** The bytes a transfer's line shows verified, as "N.NN MB of ...": compared as shown. */
  static long verified(String shown) {
    Matcher m = Pattern.compile("([0-9.]+) (B|KB|MB) of").matcher(shown);
    assertTrue(m.find(), shown);
    double unit =
        switch (m.group(2)) {
          case "KB" -> 1e3;
          case "MB" -> 1e6;
          default -> 1;
        };
    return Math.round(Double.parseDouble(m.group(1)) * unit);
  }
}
