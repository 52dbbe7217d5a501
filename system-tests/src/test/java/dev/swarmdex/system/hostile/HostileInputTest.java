package dev.swarmdex.system.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.swarmdex.protocol.SharedFile;
import dev.swarmdex.system.Network;
import dev.swarmdex.system.hostile.Routes.Route;
import dev.swarmdex.system.hostile.Routes.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile input as a test (issue 19, item 10): random and mutated requests at every route of an
 * index server, a supernode and a peer's file server ({@link Routes}), over real sockets. Whatever
 * is sent, the answer comes within the route's deadline, is never a 5xx the API does not document,
 * is a JSON {@code {"error"}} body when it is an error of an API that promises JSON, and a request
 * that is refused changes nothing: a rejected publish leaves the peer's entries as browse and
 * search showed them, a rejected admin call leaves bans, mesh, roles and the audit log as they
 * were.
 *
 * <p>jqwik picks the seed and prints it with each property's report (and in a failure, with the
 * shrunk request); {@code @Property(seed = "...")} replays a run.
 */
class HostileInputTest {
  private static Path root;
  private static FuzzNetwork network;

  @BeforeContainer
  static void startNetwork() throws Exception {
    root = Files.createTempDirectory("swarmdex-fuzz");
    network = new FuzzNetwork(root);
  }

  @AfterContainer
  static void stopNetwork() throws IOException {
    if (network != null) {
      network.close();
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The valid requests the mutations start from are valid: each route answers as documented. */
  @Example
  void everyRouteAnswersItsValidRequest() throws Exception {
    List<String> wrong = new ArrayList<>();
    List<Route> routes = new ArrayList<>(Routes.ALL);
    routes.add(Routes.LOGIN);
    for (Route route : routes) {
      Probe probe = route.valid(network, Network.address(150));
      RawHttp.Answer answer = RawHttp.send(probe, route.within());
      check(route, probe, answer);
      if (answer.status() != route.valid()) {
        wrong.add(route + " -> " + answer);
      }
      recover(route);
    }
    assertTrue(wrong.isEmpty(), "valid requests answered otherwise:\n" + String.join("\n", wrong));
  }

  /**
   * Found by this suite: Jetty refused a PUT with a bad Content-Length or an ambiguous path (an
   * empty segment) with an empty 400, because its error handler writes bodies only for GET, POST
   * and HEAD. Every method now gets the JSON error (and OPTIONS, which Jetty answers through the
   * same handler, still its empty 200 rather than a 500 from a body it had no room for).
   */
  @Example
  void jettysOwnRefusalsAreJsonForEveryMethod() throws Exception {
    RawHttp.Answer badLength =
        attack(
            Routes.named("INDEX PUT /api/v1/peers/{peerId}/files"),
            List.of(new Mutation.SetHeader("Content-Length", "-1")),
            101);
    RawHttp.Answer emptySegment =
        attack(
            Routes.named("ADMIN PUT /api/v1/admin/mesh/links"),
            List.of(new Mutation.Segment(0, "")),
            102);
    RawHttp.Answer deleteEmptySegment =
        attack(
            Routes.named("SUPERNODE DELETE /api/v1/peers/{peerId}"),
            List.of(new Mutation.Segment(2, "")),
            103);
    RawHttp.Answer options =
        attack(Routes.named("WEB GET /"), List.of(new Mutation.Method("OPTIONS")), 104);
    assertEquals(200, options.status(), "OPTIONS is answered, as before, with no body");
    RawHttp.Answer unchunked =
        attack(
            Routes.named("ADMIN DELETE /api/v1/admin/bans/{ban}"),
            List.of(new Mutation.AddHeader("Transfer-Encoding", "chunked")),
            106);
    assertEquals(400, unchunked.status(), "a chunked body that ends early is refused");
    assertEquals(400, badLength.status());
    assertEquals(400, emptySegment.status());
    assertEquals(400, deleteEmptySegment.status());
  }

  /**
   * Found by this suite: a relay (or a long poll for pushes) sent with a body was dropped without
   * an answer, because bytes arriving while a request waits count as the caller hanging up. Such a
   * request is now refused with a 400 before it waits.
   */
  @Example
  void waitingRoutesRefuseABodyInsteadOfDroppingTheConnection() throws Exception {
    for (String route :
        List.of(
            "INDEX GET /api/v1/relay/{peerId}/{sha256}/chunks",
            "INDEX GET /api/v1/relay/{peerId}/{sha256}",
            "INDEX GET /api/v1/peers/{peerId}/pushes",
            "SUPERNODE GET /api/v1/relay/{peerId}/{sha256}")) {
      RawHttp.Answer answer =
          attack(
              Routes.named(route),
              List.of(new Mutation.ReplaceBody(Mutation.FF + Mutation.FF)),
              105);
      assertEquals(400, answer.status(), route);
    }
  }

  /**
   * The presence's body is read as it comes and never meant to end, so the ways a body can break
   * are its own answers: cut short (the caller says the request ends, a byte before its declared
   * length), not chunked as declared, or over. Each is a 4xx JSON answer or a hang-up, never a 5xx.
   */
  @Example
  void aBrokenPresenceBodyIsNeverAServerError() throws Exception {
    for (String target : List.of("INDEX", "SUPERNODE")) {
      Route route = Routes.named(target + " POST /api/v1/peers/{peerId}/presence");
      for (List<Mutation> broken :
          List.of(
              List.<Mutation>of(new Mutation.SetHeader("Content-Length", "2")),
              List.<Mutation>of(new Mutation.AddHeader("Transfer-Encoding", "chunked")),
              List.<Mutation>of(
                  new Mutation.AddHeader("Transfer-Encoding", "chunked"),
                  new Mutation.ReplaceBody("1\r\n\n\r\n")),
              List.<Mutation>of(new Mutation.ReplaceBody(Mutation.FF + Mutation.FF)))) {
        RawHttp.Answer answer = attack(route, broken, 107);
        assertTrue(
            answer.status() == RawHttp.CUT_OFF || answer.status() / 100 != 5,
            route + " " + broken + " -> " + answer);
      }
    }
  }

  @Property(tries = 250)
  void indexServerPeerApiAndPages(
      @ForAll("indexRoutes") Route route,
      @ForAll("mutations") List<Mutation> mutations,
      @ForAll("sources") int source)
      throws Exception {
    attack(route, mutations, source);
  }

  @Property(tries = 200)
  void adminApiChangesNothingWhenItRefuses(
      @ForAll("adminRoutes") Route route,
      @ForAll("adminMutations") List<Mutation> mutations,
      @ForAll("sources") int source)
      throws Exception {
    String before = network.adminState();
    RawHttp.Answer answer = attack(route, mutations, source);
    if (answer.status() / 100 != 2) {
      assertEquals(before, network.adminState(), "a refused admin call changed state");
    }
  }

  @Property(tries = 60)
  void adminLogin(@ForAll("mutations") List<Mutation> mutations, @ForAll("sources") int source)
      throws Exception {
    attack(Routes.LOGIN, mutations, source);
  }

  @Property(tries = 150)
  void meshApi(
      @ForAll("meshRoutes") Route route,
      @ForAll("mutations") List<Mutation> mutations,
      @ForAll("sources") int source)
      throws Exception {
    attack(route, mutations, source);
  }

  @Property(tries = 150)
  void supernodePeerApi(
      @ForAll("supernodeRoutes") Route route,
      @ForAll("mutations") List<Mutation> mutations,
      @ForAll("sources") int source)
      throws Exception {
    attack(route, mutations, source);
  }

  @Property(tries = 250)
  void peerFileServer(
      @ForAll("fileRoutes") Route route,
      @ForAll("mutations") List<Mutation> mutations,
      @ForAll("sources") int source)
      throws Exception {
    attack(route, mutations, source);
  }

  @Property(tries = 150)
  void refusedPublishLeavesEntriesAsTheyWere(
      @ForAll("publishRoutes") Route route,
      @ForAll("mutations") List<Mutation> mutations,
      @ForAll("sources") int source)
      throws Exception {
    FuzzNetwork.Peer peer =
        route.target() == Target.INDEX ? network.publisher : network.leafPublisher;
    network.baseline(peer);
    List<SharedFile> before = network.entries(peer);
    long hits = network.searchHits(peer);
    assertEquals(3, before.size(), "the baseline is in place");
    RawHttp.Answer answer = attack(route, mutations, source);
    if (answer.status() / 100 != 2) {
      assertEquals(3, network.settle(peer), "a refused publish changed the entry count");
      assertEquals(before, network.entries(peer), "a refused publish changed the entries");
      assertEquals(hits, network.searchHits(peer), "a refused publish changed what search finds");
    }
  }

  /**
   * Sends the mutated valid request of {@code route}, checks the answer, and repairs the fixture.
   */
  private static RawHttp.Answer attack(Route route, List<Mutation> mutations, int source)
      throws Exception {
    Probe probe = route.valid(network, Network.address(source));
    for (Mutation mutation : mutations) {
      probe = mutation.apply(probe, network.secrets());
    }
    RawHttp.Answer answer;
    try {
      answer = RawHttp.send(probe, route.within());
    } catch (RawHttp.Hang e) {
      throw new AssertionError(route + ": no answer within " + route.within() + " to\n" + probe, e);
    } catch (IOException e) {
      throw new AssertionError(route + ": the connection failed (" + e + ") for\n" + probe, e);
    }
    check(route, probe, answer);
    recover(route);
    return answer;
  }

  /** What every answer must be, whatever was sent. */
  static void check(Route route, Probe probe, RawHttp.Answer answer) {
    String where = route + "\n" + probe + "\n-> " + answer;
    JsonNode json = answer.json();
    if (answer.status() >= 500) {
      String code = json != null && json.hasNonNull("code") ? json.get("code").asText() : "";
      boolean documented =
          route.documented5xx().contains(answer.status() + " " + code)
              && (answer.status() != 503 || answer.header("Retry-After") != null);
      if (!documented) {
        fail("a 5xx the API does not document: " + where);
      }
    }
    if (answer.status() == RawHttp.CUT_OFF) {
      return; // the server hung up on a body it would not read: nothing to check
    }
    if (route.promisesJson() && answer.status() >= 400 && !probe.method().equals("HEAD")) {
      assertTrue(
          json != null && json.isObject() && json.path("error").isTextual(),
          "an error that is not a JSON {\"error\"} body: " + where);
    }
  }

  /** Puts back what a successful hostile call may legitimately have ended. */
  private static void recover(Route route) throws IOException {
    switch (route.target()) {
      case INDEX -> network.revive(network.victim);
      case SUPERNODE -> network.revive(network.leafVictim);
      case ADMIN -> network.keepAdminSession();
      default -> {}
    }
  }

  @Provide
  Arbitrary<Route> indexRoutes() {
    return Arbitraries.of(Routes.of(Target.INDEX, Target.WEB));
  }

  @Provide
  Arbitrary<Route> adminRoutes() {
    return Arbitraries.of(Routes.of(Target.ADMIN));
  }

  @Provide
  Arbitrary<Route> meshRoutes() {
    return Arbitraries.of(Routes.of(Target.MESH));
  }

  @Provide
  Arbitrary<Route> supernodeRoutes() {
    return Arbitraries.of(Routes.of(Target.SUPERNODE));
  }

  @Provide
  Arbitrary<Route> fileRoutes() {
    return Arbitraries.of(Routes.of(Target.FILES));
  }

  @Provide
  Arbitrary<Route> publishRoutes() {
    List<Route> routes = new ArrayList<>(Routes.publishing(Target.INDEX));
    routes.addAll(Routes.publishing(Target.SUPERNODE));
    return Arbitraries.of(routes);
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    return Mutations.some();
  }

  /** For the admin routes, a missing or wrong cookie or CSRF token comes more often. */
  @Provide
  Arbitrary<List<Mutation>> adminMutations() {
    return Arbitraries.oneOf(Mutations.some(), Mutations.adminCredentials().list().ofMaxSize(2));
  }

  /** The last byte of the 127.0.0.N a request comes from. */
  @Provide
  Arbitrary<Integer> sources() {
    return Arbitraries.integers().between(100, 199);
  }
}
