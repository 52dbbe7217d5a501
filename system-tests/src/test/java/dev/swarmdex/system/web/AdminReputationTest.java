package dev.swarmdex.system.web;

import static dev.swarmdex.system.web.LiveNetwork.writeFile;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PeerReputation;
import dev.swarmdex.protocol.Sha256;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The admin console shows each peer's level and, on request, its history: two real peer agents, a
 * real download between them (the uploader's agent signs what it serves, the downloader's hands in
 * its signed receipt), and the peers view in Chromium.
 */
class AdminReputationTest {
  static final long MIB = 1 << 20;

  @TempDir static Path root;
  static LiveNetwork network;
  static Browser browser;
  static PeerAgent uploader;
  static PeerAgent downloader;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    network =
        LiveNetwork.start(
            root,
            config ->
                config
                    .reputationMaturity(Duration.ofSeconds(1))
                    .reputationFullUptime(Duration.ofSeconds(10))
                    .reputationInterval(Duration.ofMillis(200)));
    browser = Browser.start(network.uri());
    uploader =
        network.startPeer(
            2, writeFile(root.resolve("u"), "Uploaded Song.ogg", (int) (12 * MIB)).getParent());
    downloader =
        network.startPeer(3, writeFile(root.resolve("d"), "Other Song.ogg", 6_000).getParent());
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

  static PeerReputation level(PeerAgent agent) {
    try {
      HttpResponse<byte[]> answer =
          http.send(
              HttpRequest.newBuilder(
                      network.uri().resolve("/api/v1/reputation/" + id(agent).peerId()))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      return Json.readAnswer(answer.body(), PeerReputation.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Credentials id(PeerAgent agent) {
    return agent.credentials().orElseThrow();
  }

  @Test
  void thePeersViewShowsLevelsAndAHistory() throws Exception {
    // Heartbeats make the downloader's word count (its seen uptime passes the 1 s maturity).
    browser.waitFor(d -> level(downloader).level() > 0);

    // A real download: the uploader's agent signs each response with its key, the downloader's
    // agent checks the bytes and hands in its own signed receipt.
    Path song = root.resolve("u").resolve("Uploaded Song.ogg");
    Sha256 file =
        Sha256.ofDigest(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(song)));
    browser.waitFor(
        d -> {
          try {
            HttpResponse<byte[]> found =
                http.send(
                    HttpRequest.newBuilder(network.uri().resolve("/api/v1/files/" + file.hex()))
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return found.statusCode() == 200 ? true : null;
          } catch (Exception e) {
            return null;
          }
        });
    downloader.download(file, root.resolve("fetched.ogg"), null);

    browser.open("/admin/");
    browser.type(By.id("login-name"), "admin");
    browser.type(By.id("login-password"), LiveNetwork.ADMIN_PASSWORD);
    browser.driver().findElement(By.id("login-password")).sendKeys(Keys.ENTER);
    browser.showing(By.id("who-name"), "admin");
    browser.click(By.cssSelector(".tabs a[data-view='peers']"));
    browser.visible(By.id("view-peers"));

    By uploaderRow = By.cssSelector("tr[data-key='" + id(uploader).peerId() + "']");
    String shown =
        browser.waitFor(
            d -> {
              String text =
                  d.findElement(uploaderRow)
                      .findElement(By.cssSelector("td[data-label='Level']"))
                      .getText();
              return Integer.parseInt(text.replace(",", "")) > 0 ? text : null;
            });
    assertTrue(Integer.parseInt(shown) > 0, shown);

    browser.click(
        By.cssSelector(
            "tr[data-key='" + id(uploader).peerId() + "'] button[data-action='history']"));
    browser.visible(By.id("peer-history"));
    String history =
        browser.waitFor(
            d -> {
              String text = d.findElement(By.id("peer-history")).getText();
              return text.contains("receipt from") ? text : null;
            });
    assertTrue(
        history.contains("Reputation of " + id(uploader).peerId().substring(0, 10)), history);
    assertTrue(history.contains("12 MiB of " + file.hex().substring(0, 8)), history);
    assertTrue(history.contains("uploads +"), history);
    browser.screenshot("admin-peer-history");
  }
}
