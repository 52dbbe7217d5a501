package dev.swarmdex.system;

import static dev.swarmdex.system.Network.eventually;
import static dev.swarmdex.system.Network.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.swarmdex.engine.routing.RendezvousHomes;
import dev.swarmdex.engine.watch.WatchRouting;
import dev.swarmdex.peer.PeerAgent;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.Credentials;
import dev.swarmdex.protocol.Notification;
import dev.swarmdex.protocol.Watch;
import dev.swarmdex.protocol.WatchRequest;
import dev.swarmdex.supernode.Supernode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved searches across a network of directories (issue 25), on real sockets: an index server and
 * 29 supernodes (127.0.25.11-39), 30 directories as the issue asks, a subscriber and publishers
 * attached to other directories. A file published anywhere reaches the subscriber's notifications
 * within seconds, once per content however many sources publish it; a rendezvous killed hands its
 * searches to the next homes at the subscriber directory's next registration, and the notification
 * still arrives. On a loaded machine the 30 directories' views of the membership differ for a
 * moment (a supernode's probes take a slow member out, a change reaches some directories first):
 * searches are registered, and new files sent, at the homes over each directory's views of the last
 * few heartbeats, and a member taken out a moment ago is still heard, so no notification is refused
 * or sent to a rendezvous that does not hold the search meanwhile.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WatchNetworkTest {
  static final String PASSWORD = "correct horse battery staple";
  static final int SUPERNODES = 29;

  @TempDir static Path root;
  static Network network;
  static AdminClient admin;
  static final Map<String, Supernode> supernodes = new LinkedHashMap<>();
  static final Map<String, Credentials> keys = new LinkedHashMap<>();
  static final String SUBSCRIBER_ADDRESS = "127.0.25.51";
  static PeerAgent subscriber;
  static final List<PeerAgent> publishers = new ArrayList<>();
  static ApiClient client;
  static ApiClient fromSubscriber;

  @BeforeAll
  static void startNetwork() throws Exception {
    network = new Network(root);
    network.startServer(config -> config.withAdminPassword(PASSWORD));
    admin = new AdminClient(network.serverUri()).login(PASSWORD);
    for (int i = 1; i <= SUPERNODES; i++) {
      JsonNode issued = admin.post("supernodes", "{\"name\":\"w" + i + "\"}");
      Credentials credentials =
          new Credentials(issued.get("peerId").asText(), issued.get("token").asText());
      keys.put(credentials.peerId(), credentials);
      supernodes.put(
          credentials.peerId(),
          Supernode.start(
              new Supernode.Config(
                  network.serverUri(),
                  credentials,
                  InetAddress.getByName("127.0.25." + (10 + i)),
                  0,
                  root.resolve("w" + i),
                  "w" + i,
                  Network.HEARTBEAT,
                  Network.TIMEOUT),
              () -> {}));
    }
    assertTrue(
        eventually(Duration.ofSeconds(60), () -> members().size() == SUPERNODES), "all in mesh");
    subscriber =
        network.startAgentAt(SUBSCRIBER_ADDRESS, Files.createDirectories(root.resolve("sub")));
    for (int i = 0; i < 3; i++) {
      Path share = Files.createDirectories(root.resolve("pub-" + i));
      publishers.add(network.startAgentAt("127.0.25." + (52 + i), share));
    }
    assertTrue(
        eventually(
            Duration.ofSeconds(20),
            () -> subscriber.isJoined() && publishers.stream().allMatch(PeerAgent::isJoined)),
        "all agents joined");
    client = network.clientAt(30);
    // The subscriber's own calls come from its address: its token is refused elsewhere.
    fromSubscriber =
        ApiClient.create(network.serverUri(), InetAddress.getByName(SUBSCRIBER_ADDRESS));
  }

  @AfterAll
  static void stopNetwork() {
    fromSubscriber.close();
    network.close();
    supernodes.values().forEach(Supernode::close);
  }

  @Test
  @Order(1)
  void aPublishElsewhereNotifiesTheSubscriberOncePerContent() throws Exception {
    PeerAgent first = publisherElsewhere(0);
    URI savedAt = subscriber.directory();
    Watch watch = save(WatchRequest.of("gymnopedie satie"));
    assertEquals("gymnopedie", watch.word(), "the longest word is the rendezvous word");
    assertTrue(
        eventually(Duration.ofSeconds(20), () -> heldInAll() >= 2),
        "the search is held at its two rendezvous");
    // A directory reads a rendezvous's watched words at most once a heartbeat: one that read just
    // before the search arrived learns of it at its next read (the documented gap).
    Thread.sleep(Network.HEARTBEAT.toMillis() * 2);

    writeFile(first.shareDir(), "Satie - Gymnopedie No1.mp3", 20_000);
    writeFile(first.shareDir(), "Satie - Nocturne.mp3", 20_000);
    first.rescanNow();
    assertTrue(
        eventually(Duration.ofSeconds(10), () -> notifications().size() == 1),
        "the subscriber is told within seconds: "
            + notifications()
            + " (saved at "
            + savedAt
            + ", attached now to "
            + subscriber.directory()
            + ", publisher at "
            + first.directory()
            + ")");
    Notification told = notifications().get(0);
    assertEquals("Satie - Gymnopedie No1.mp3", told.file().name());
    assertEquals(watch.id(), told.watchId());

    // A second source of the same content, at another directory: no second notification.
    PeerAgent second = publishers.get(publishers.indexOf(first) == 1 ? 2 : 1);
    Files.copy(
        first.shareDir().resolve("Satie - Gymnopedie No1.mp3"),
        second.shareDir().resolve("Gymnopedie No1 (Satie).mp3"));
    second.rescanNow();
    Thread.sleep(3_000);
    assertEquals(1, notifications().size(), "one notification per content: " + notifications());

    fromSubscriber.at(subscriber.directory()).acknowledge(own(), told.seq());
    assertEquals(List.of(), notifications(), "read notifications are gone");
  }

  @Test
  @Order(2)
  void aKilledRendezvousHandsItsSearchesOnAndTheNotificationStillArrives() throws Exception {
    PeerAgent publisher = publisherElsewhere(0);
    String subscriberHome = directoryId(subscriber);
    String publisherHome = directoryId(publisher);
    List<String> live = new ArrayList<>(members());
    live.add("index");
    RendezvousHomes homes = RendezvousHomes.of(live);
    String word = null;
    String victim = null;
    for (int i = 0; victim == null; i++) {
      String candidate = "rendezvousword" + i;
      for (String home : homes.homes(RendezvousHomes.wordKey(candidate), 2)) {
        if (supernodes.containsKey(home)
            && !home.equals(subscriberHome)
            && !home.equals(publisherHome)) {
          word = candidate;
          victim = home;
          break;
        }
      }
    }
    save(WatchRequest.of(word));
    long key = RendezvousHomes.wordKey(word);
    Credentials member = keys.get(supernodes.keySet().iterator().next());
    URI victimUri = supernodes.get(victim).uri();
    assertTrue(
        eventually(
            Duration.ofSeconds(5),
            () -> client.at(victimUri).watchedWords(member).keys().contains(key)),
        "the search is held at its rendezvous");

    supernodes.remove(victim).close();
    String dead = victim;
    assertTrue(
        eventually(Duration.ofSeconds(15), () -> !members().contains(dead)),
        "the registry drops the dead rendezvous");
    live.remove(victim);
    for (String home : RendezvousHomes.of(live).homes(key, 2)) {
      URI url = home.equals("index") ? network.serverUri() : supernodes.get(home).uri();
      Credentials asker = keys.get(supernodes.keySet().iterator().next());
      assertTrue(
          eventually(
              Duration.ofSeconds(5), () -> client.at(url).watchedWords(asker).keys().contains(key)),
          "re-registered at the next home " + home);
    }
    Thread.sleep(Network.HEARTBEAT.toMillis() * 2); // every directory's read of a home expired
    writeFile(publisher.shareDir(), "The " + word + " tapes.ogg", 12_000);
    publisher.rescanNow();
    String expected = word;
    assertTrue(
        eventually(
            Duration.ofSeconds(10),
            () ->
                notifications().stream()
                    .anyMatch(n -> n.file().name().equals("The " + expected + " tapes.ogg"))),
        "the notification arrives through the new rendezvous: " + notifications());
  }

  @Test
  @Order(3)
  void aWishlistEntryDownloadsWhatItFindsIntoTheSharedFolder() throws Exception {
    JsonNode endpoint =
        new ObjectMapper()
            .readTree(root.resolve("state-127.0.25.51").resolve("control.json").toFile());
    URI control = URI.create("http://127.0.0.1:" + endpoint.get("port").asInt());
    String secret = endpoint.get("token").asText();
    HttpResponse<String> added =
        control(
            control,
            secret,
            "POST",
            "/control/v1/watches",
            "{\"text\":\"Ondine Ravel\",\"autoDownload\":true}");
    assertEquals(201, added.statusCode(), added.body());
    String wish = new ObjectMapper().readTree(added.body()).get("id").asText();
    assertEquals(
        401, control(control, "wrong", "GET", "/control/v1/watches", null).statusCode(), "secret");
    assertEquals(
        400,
        control(control, secret, "POST", "/control/v1/watches", "{\"text\":\"\"}").statusCode());
    // Checked at the wish's own homes: a count over all directories also falls as the earlier
    // tests' registrations at homes of older views lapse, and can hide the two new ones.
    long key = RendezvousHomes.wordKey(WatchRouting.rendezvousWord("Ondine Ravel"));
    assertTrue(
        eventually(Duration.ofSeconds(30), () -> heldAtItsHomes(key)),
        "the wish is saved by the agent and held at its two rendezvous");
    Thread.sleep(Network.HEARTBEAT.toMillis() * 2); // every directory's read of them is fresh

    PeerAgent publisher = publisherElsewhere(0);
    Path shared = writeFile(publisher.shareDir(), "Ravel - Ondine.flac", 70_000);
    publisher.rescanNow();
    Path fetched = subscriber.shareDir().resolve("Ravel - Ondine.flac");
    assertTrue(
        eventually(
            Duration.ofSeconds(20),
            () ->
                Files.isRegularFile(fetched)
                    && java.util.Arrays.equals(readAll(fetched), readAll(shared))),
        "the wishlist downloaded the file into the shared folder, verified");
    String listed = control(control, secret, "GET", "/control/v1/watches", null).body();
    assertTrue(listed.contains("\"queued\":true") && listed.contains("Ondine"), listed);
    assertEquals(
        200, control(control, secret, "DELETE", "/control/v1/watches/" + wish, null).statusCode());
    assertEquals(
        404, control(control, secret, "DELETE", "/control/v1/watches/" + wish, null).statusCode());
  }

  // ---- helpers ----

  static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      return new byte[0];
    }
  }

  static HttpResponse<String> control(
      URI control, String secret, String method, String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(control.resolve(path))
            .header("Authorization", "Bearer " + secret)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  static Watch save(WatchRequest request) {
    return fromSubscriber.at(subscriber.directory()).addWatch(own(), request);
  }

  static Credentials own() {
    return subscriber.credentials().orElseThrow();
  }

  /** Whether both current rendezvous of a word key, over the live membership, hold it. */
  static boolean heldAtItsHomes(long key) {
    List<String> live = new ArrayList<>(members());
    live.add("index");
    Credentials asker = keys.get(supernodes.keySet().iterator().next());
    for (String home : RendezvousHomes.of(live).homes(key, 2)) {
      Supernode supernode = supernodes.get(home);
      URI url =
          home.equals("index") ? network.serverUri() : supernode == null ? null : supernode.uri();
      try {
        if (url == null || !client.at(url).watchedWords(asker).keys().contains(key)) {
          return false;
        }
      } catch (RuntimeException e) {
        return false;
      }
    }
    return true;
  }

  static List<Notification> notifications() {
    try {
      return fromSubscriber.at(subscriber.directory()).notifications(own()).notifications();
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  /** A publisher attached to another directory than the subscriber's. */
  static PeerAgent publisherElsewhere(int from) {
    for (int i = from; i < publishers.size(); i++) {
      if (!publishers.get(i).directory().equals(subscriber.directory())) {
        return publishers.get(i);
      }
    }
    throw new AssertionError("every publisher shares the subscriber's directory");
  }

  static String directoryId(PeerAgent agent) {
    URI at = agent.directory();
    if (at.equals(network.serverUri())) {
      return "index";
    }
    return supernodes.entrySet().stream()
        .filter(e -> e.getValue().uri().equals(at))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse("");
  }

  static List<String> members() {
    try {
      List<String> ids = new ArrayList<>();
      admin.get("mesh").get("supernodes").forEach(m -> ids.add(m.get("id").asText()));
      return ids;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void assertElsewhere(PeerAgent a, PeerAgent b) {
    assertNotEquals(a.directory(), b.directory());
  }

  /** Saved searches held as rendezvous at every directory, as their stats say. */
  static int heldInAll() {
    int held = 0;
    List<URI> directories = new java.util.ArrayList<>();
    directories.add(network.serverUri());
    supernodes.values().forEach(supernode -> directories.add(supernode.uri()));
    HttpClient http = HttpClient.newHttpClient();
    for (URI directory : directories) {
      try {
        String body =
            http.send(
                    HttpRequest.newBuilder(directory.resolve("/api/v1/stats")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("\"watchesHeld\":(\\d+)").matcher(body);
        if (m.find()) {
          held += Integer.parseInt(m.group(1));
        }
      } catch (java.io.IOException e) {
        // a directory killed by another test: it holds nothing
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return held;
      }
    }
    return held;
  }
}
