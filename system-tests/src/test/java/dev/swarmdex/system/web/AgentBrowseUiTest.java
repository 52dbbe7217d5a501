package dev.swarmdex.system.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.peer.AgentUi;
import dev.swarmdex.system.Network;
import java.net.InetAddress;
import java.nio.file.Files;
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
import org.openqa.selenium.WebElement;

/**
 * Browsing a peer in Chromium: from a search result, "Browse this peer" shows its files as a folder
 * tree that opens with the keyboard and fits a phone; "Download folder" queues the folder, whose
 * files arrive in the same folders. The seed's own UI then shows the upload to this peer (running,
 * or finished), and its "My shares" its folders; this peer's shows what its scan could not read.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentBrowseUiTest {
  @TempDir static Path root;
  static AgentUiNetwork live;
  static AgentUi seedUi;
  static Browser browser;
  static Path seedDir;

  @BeforeAll
  static void start() throws Exception {
    seedDir = root.resolve("seed");
    write("top.txt", 1_000);
    write("Music/Live/Opening Night.flac", 2_000_000);
    write("Music/Live/Encore/Last Song.flac", 1_000_000);
    write("Music/Studio/Take 1.flac", 150_000);
    write("Docs/readme.txt", 2_000);
    write(".hidden/secret.txt", 100);
    Path mine = Files.createDirectories(root.resolve("mine"));
    // A link back to the folder itself: the scan cannot follow it, and says so.
    Files.createSymbolicLink(mine.resolve("loop"), mine);
    live = AgentUiNetwork.start(root, seedDir);
    seedUi = AgentUi.start(live.seed, live.seedConfig, InetAddress.getLoopbackAddress(), 0);
    browser = Browser.start(live.uiBase());
  }

  static void write(String path, int size) throws Exception {
    Path file = seedDir.resolve(path);
    Network.writeFile(file.getParent(), file.getFileName().toString(), size);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (seedUi != null) {
      seedUi.close();
    }
    if (live != null) {
      live.close();
    }
  }

  @Test
  @Order(1)
  void aSearchResultLeadsToThePeersFolderTree() throws Exception {
    browser.driver().get(live.ui.url().toString());
    browser.visible(By.id("view-transfers"));
    browser.click(By.cssSelector("a[data-view='search']"));
    browser.waitFor(
        d -> {
          browser.type(By.id("q"), "opening night");
          browser.visible(By.id("q")).sendKeys(Keys.ENTER);
          return browser.texts(By.cssSelector("#results h3")).contains("Opening Night.flac");
        });
    browser.click(By.cssSelector("#results .browse-link"));
    browser.visible(By.id("view-browse"));
    String seed = live.seed.credentials().orElseThrow().peerId();
    browser.waitFor(
        d ->
            browser
                .visible(By.id("browse-summary"))
                .getText()
                .startsWith("Peer " + seed + " shares 5 files"));
    assertTrue(
        browser
            .texts(By.cssSelector("#browse-tree > .tree-list > .tree-folder > details > summary"))
            .stream()
            .map(t -> t.split("\n")[0])
            .toList()
            .containsAll(java.util.List.of("Docs/", "Music/")),
        browser.texts(By.id("browse-tree")).toString());
    assertFalse(browser.visible(By.id("browse-tree")).getText().contains("hidden"));
    // With the keyboard: Enter on a folder opens it.
    summary("Music").sendKeys(Keys.ENTER);
    browser.waitFor(d -> summary("Music/Live").isDisplayed());
    summary("Music/Live").sendKeys(Keys.ENTER);
    browser.waitFor(
        d ->
            browser
                .visible(By.cssSelector("details[data-folder='Music/Live']"))
                .getText()
                .contains("Opening Night.flac"));
    browser.screenshot("agent-ui-browse");
    browser.resize(Browser.PHONE);
    assertFalse(browser.scrollsSideways(), "the tree fits a phone's width");
    browser.screenshot("agent-ui-browse-phone");
    browser.resize(Browser.DESKTOP);
  }

  static WebElement summary(String folder) {
    return browser
        .driver()
        .findElement(By.cssSelector("details[data-folder='" + folder + "'] > summary"));
  }

  @Test
  @Order(2)
  void downloadFolderRecreatesItAndTheSeedSeesTheUpload() throws Exception {
    browser
        .driver()
        .findElement(By.cssSelector("details[data-folder='Music/Live'] .folder-download"))
        .sendKeys(Keys.ENTER);
    browser.showing(By.id("message"), "Queued 2 files of Music/Live: see Transfers.");

    // The seed's own UI: the upload to this peer, with the file's folder in the share.
    String mine = live.mine.credentials().orElseThrow().peerId();
    browser.driver().get(seedUi.url().toString());
    browser.visible(By.id("view-transfers"));
    browser.click(By.cssSelector("a[data-view='uploads']"));
    browser.waitFor(
        d ->
            browser.texts(By.cssSelector("#view-uploads tr.upload")).stream()
                .anyMatch(row -> row.contains(mine) && row.contains("Music/Live/")));
    browser.screenshot("agent-ui-uploads");
    browser.resize(Browser.PHONE);
    assertFalse(browser.scrollsSideways(), "the uploads page fits a phone's width");
    browser.screenshot("agent-ui-uploads-phone");
    browser.resize(Browser.DESKTOP);

    browser.click(By.cssSelector("a[data-view='shares']"));
    browser.waitFor(
        d ->
            browser
                .texts(By.cssSelector("#share-folders tr.share-folder"))
                .contains("Music/Live 1 2.00 MB"));
    browser.screenshot("agent-ui-shares-folders");

    Path mineDir = root.resolve("mine");
    for (String path :
        new String[] {"Music/Live/Opening Night.flac", "Music/Live/Encore/Last Song.flac"}) {
      assertTrue(
          Network.eventually(
              java.time.Duration.ofSeconds(30), () -> Files.isRegularFile(mineDir.resolve(path))),
          path);
      assertArrayEquals(
          Files.readAllBytes(seedDir.resolve(path)), Files.readAllBytes(mineDir.resolve(path)));
    }
  }

  @Test
  @Order(3)
  void myOwnSharesShowWhatTheScanCouldNotRead() throws Exception {
    browser.driver().get(live.ui.url().toString());
    browser.visible(By.id("view-transfers"));
    browser.click(By.cssSelector("a[data-view='shares']"));
    browser.waitFor(
        d ->
            browser.texts(By.cssSelector("#share-errors li")).stream()
                .anyMatch(t -> t.startsWith("loop: a link here loops back")));
    browser.waitFor(
        d -> browser.texts(By.cssSelector("#share-folders tr.share-folder")).size() >= 2);
    browser.screenshot("agent-ui-shares-errors");
  }
}
