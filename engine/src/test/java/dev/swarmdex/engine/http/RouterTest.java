package dev.swarmdex.engine.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
  private final Router<String> router =
      new Router<String>()
          .add("GET", "/api/peers/{id}/files", "browse")
          .add("PUT", "/api/peers/{id}/files", "publish")
          .add("POST", "/api/mesh/{call}", "mesh")
          .add("POST", "/api/mesh/query", "query")
          .add("GET", "/files/{sha}/chunks", "chunks")
          .add("GET", "/files", "list")
          .add("GET", "/files/{id...}", "file");

  @Test
  void aPathAndMethodFindTheirRouteWithItsParameters() {
    var found = assertInstanceOf(Router.Found.class, router.find("PUT", "/api/peers/p1/files"));
    assertEquals("publish", found.route());
    assertEquals(Map.of("id", "p1"), found.params());
  }

  @Test
  void aFoundRouteNamesItsTemplateNotThePath() {
    var found = assertInstanceOf(Router.Found.class, router.find("PUT", "/api/peers/p1/files"));
    assertEquals("/api/peers/{id}/files", found.template());
  }

  @Test
  void itListsEveryRouteAsDeclared() {
    assertEquals(new Router.Route("PUT", "/api/peers/{id}/files"), router.routes().get(1));
    assertEquals(7, router.routes().size());
    assertEquals(new Router.Route("GET", "/files/{id...}"), router.routes().get(6));
  }

  @Test
  void aKnownPathWithAnotherMethodNamesTheAllowedOnes() {
    var wrong =
        assertInstanceOf(Router.WrongMethod.class, router.find("DELETE", "/api/peers/p/files"));
    assertEquals(Set.of("GET", "PUT"), wrong.allowed());
    assertEquals("GET or PUT", wrong.names());
  }

  @Test
  void theMostLiteralTemplateDecidesEvenForAnotherMethod() {
    assertEquals("query", ((Router.Found<?>) router.find("POST", "/api/mesh/query")).route());
    assertEquals("mesh", ((Router.Found<?>) router.find("POST", "/api/mesh/other")).route());
    var wrong = assertInstanceOf(Router.WrongMethod.class, router.find("GET", "/api/mesh/query"));
    assertEquals(Set.of("POST"), wrong.allowed());
  }

  @Test
  void aTailParameterTakesTheRestOfThePath() {
    assertEquals("chunks", ((Router.Found<?>) router.find("GET", "/files/abc/chunks")).route());
    var rest = (Router.Found<?>) router.find("GET", "/files/a/b/chunks");
    assertEquals("file", rest.route());
    assertEquals(Map.of("id", "a/b/chunks"), rest.params());
    assertEquals("list", ((Router.Found<?>) router.find("GET", "/files")).route());
    assertEquals(Map.of("id", ""), ((Router.Found<?>) router.find("GET", "/files/")).params());
  }

  @Test
  void emptySegmentsAndOtherPathsAreMissing() {
    assertInstanceOf(Router.Missing.class, router.find("GET", "/api/peers//files"));
    assertInstanceOf(Router.Missing.class, router.find("GET", "/api/peers/p/files/"));
    assertInstanceOf(Router.Missing.class, router.find("GET", "/nothing"));
  }

  @Test
  void aTemplateTakesEachMethodOnce() {
    assertThrows(
        IllegalArgumentException.class, () -> router.add("GET", "/api/peers/{other}/files", "x"));
    assertThrows(IllegalArgumentException.class, () -> router.add("GET", "/a/{b...}/c", "x"));
  }
}
