package dev.swarmdex.system.web;

import static dev.swarmdex.system.web.LiveNetwork.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Evidence;
import dev.swarmdex.protocol.EvidenceResult;
import dev.swarmdex.protocol.Json;
import dev.swarmdex.protocol.PeerReputation;
import dev.swarmdex.protocol.Receipt;
import dev.swarmdex.protocol.ServedTicket;
import dev.swarmdex.protocol.Sha256;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The admin console shows each peer's level and, on request, its history: two real peer agents, a
 * receipt handed in through the API exactly as a downloader would (a ticket made with the
 * uploader's real token), and the peers view in Chromium.
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
        network.startPeer(2, writeFile(root.resolve("u"), "Uploaded Song.ogg", 5_000).getParent());
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

    Sha256 file = Sha256.of("7".repeat(64));
    long now = Instant.now().getEpochSecond();
    String ticket =
        ServedTicket.header(
            ServedTicket.keyOf(id(uploader).token()),
            id(uploader).peerId(),
            "127.0.0.3",
            file,
            0,
            12 * MIB - 1,
            now);
    Evidence evidence =
        new Evidence(
            List.of(
                new Receipt(
                    id(uploader).peerId(),
                    file,
                    List.of(ServedTicket.parse(ticket).part(0, 12 * MIB - 1)))),
            List.of());
    HttpResponse<byte[]> answer =
        http.send(
            HttpRequest.newBuilder(
                    network.uri().resolve("/api/v1/peers/" + id(downloader).peerId() + "/evidence"))
                .header("Authorization", "Bearer " + id(downloader).token())
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(evidence)))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, answer.statusCode());
    assertEquals(1, Json.readAnswer(answer.body(), EvidenceResult.class).accepted());

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
    assertTrue(history.contains("12 MiB of 77777777"), history);
    assertTrue(history.contains("uploads +"), history);
    browser.screenshot("admin-peer-history");
  }
}
