package dev.swarmdex.engine.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks an OpenAPI document against what a server really does: that it is OpenAPI 3.1, that its
 * operations are exactly the routes the server declares (each way), that every example it shows
 * validates against its schema (JSON Schema 2020-12), and that a live answer does too.
 *
 * <pre>{@code
 * OpenApiCheck doc = OpenApiCheck.of(servedBytes);
 * doc.assertValidOpenApi31();
 * doc.assertDescribesExactly(server.routes());
 * doc.assertAnswerMatches("GET", "/api/v1/stats", 200, body);
 * }</pre>
 */
public final class OpenApiCheck {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private final String text;
  private final JsonNode doc;

  private OpenApiCheck(String text, JsonNode doc) {
    this.text = text;
    this.doc = doc;
  }

  /** The document in {@code json}. */
  public static OpenApiCheck of(byte[] json) {
    try {
      return new OpenApiCheck(
          new String(json, java.nio.charset.StandardCharsets.UTF_8), MAPPER.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document's tree. */
  public JsonNode tree() {
    return doc;
  }

  /** swagger-parser reads it as OpenAPI 3.1 with no message (every $ref resolves). */
  public void assertValidOpenApi31() {
    assertEquals("3.1.0", doc.path("openapi").asText());
    ParseOptions options = new ParseOptions();
    options.setValidateInternalRefs(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, options);
    assertTrue(parsed.getOpenAPI() != null, "not parsed: " + parsed.getMessages());
    assertEquals(List.of(), parsed.getMessages(), "swagger-parser's messages");
    assertTrue(parsed.getOpenAPI().getSpecVersion().name().equals("V31"), "read as 3.1");
    // Every $ref names something the document has.
    for (String ref : refs(doc, new ArrayList<>())) {
      assertTrue(!at(ref).isMissingNode(), "unresolved $ref " + ref);
    }
  }

  /**
   * Its operations are exactly {@code routes}: every route the server declares is described, and
   * every described operation is a declared route. A route's {@code {name...}} tail is {@code
   * {name}} in OpenAPI.
   */
  public void assertDescribesExactly(List<Router.Route> routes) {
    Set<String> declared = new TreeSet<>();
    for (Router.Route route : routes) {
      declared.add(route.method() + " " + route.template().replace("...}", "}"));
    }
    Set<String> described = new TreeSet<>();
    doc.path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (METHODS.contains(method)) {
                            described.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                          }
                        }));
    Set<String> undescribed = new TreeSet<>(declared);
    undescribed.removeAll(described);
    Set<String> unrouted = new TreeSet<>(described);
    unrouted.removeAll(declared);
    assertEquals(Set.of(), undescribed, "routes the server answers that the document lacks");
    assertEquals(Set.of(), unrouted, "operations the document describes that no route answers");
  }

  /**
   * Every example (of a request body, an answer, a parameter) validates against its schema; returns
   * how many were checked.
   */
  public int assertExamplesValid() {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (var path : iterable(doc.path("paths"))) {
      for (var operation : iterable(path.getValue())) {
        if (!METHODS.contains(operation.getKey())) {
          continue;
        }
        String where = operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
        JsonNode op = operation.getValue();
        for (JsonNode parameter : op.path("parameters")) {
          checked += check(parameter, where + " parameter " + parameter.path("name"), problems);
        }
        for (var media : iterable(op.path("requestBody").path("content"))) {
          checked += check(media.getValue(), where + " request " + media.getKey(), problems);
        }
        for (var answer : iterable(op.path("responses"))) {
          for (var media : iterable(answer.getValue().path("content"))) {
            checked +=
                check(
                    media.getValue(),
                    where + " " + answer.getKey() + " " + media.getKey(),
                    problems);
          }
        }
      }
    }
    assertEquals(List.of(), problems, "examples that do not match their schema");
    return checked;
  }

  /** Every operation shows an example of each JSON body it takes and of its success answer. */
  public void assertEveryOperationHasExamples() {
    List<String> missing = new ArrayList<>();
    for (var path : iterable(doc.path("paths"))) {
      for (var operation : iterable(path.getValue())) {
        String where = operation.getKey() + " " + path.getKey();
        JsonNode json =
            operation.getValue().path("requestBody").path("content").path("application/json");
        if (!json.isMissingNode() && !json.has("example")) {
          missing.add(where + " request");
        }
        for (var answer : iterable(operation.getValue().path("responses"))) {
          JsonNode body = answer.getValue().path("content").path("application/json");
          if (!body.isMissingNode() && !body.has("example")) {
            missing.add(where + " " + answer.getKey());
          }
        }
      }
    }
    assertEquals(List.of(), missing, "bodies without an example");
  }

  /** A live answer's JSON {@code body} validates against the schema described for it. */
  public void assertAnswerMatches(String method, String template, int status, String body) {
    JsonNode media =
        doc.path("paths")
            .path(template)
            .path(method.toLowerCase(Locale.ROOT))
            .path("responses")
            .path(Integer.toString(status))
            .path("content")
            .path("application/json");
    assertTrue(media.has("schema"), method + " " + template + " describes no JSON " + status);
    List<Error> errors;
    try {
      errors = schema(media.path("schema")).validate(MAPPER.readTree(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!errors.isEmpty()) {
      fail(method + " " + template + " answered " + body + ", against its schema: " + errors);
    }
  }

  private int check(JsonNode holder, String where, List<String> problems) {
    JsonNode schema = holder.path("schema");
    if (schema.isMissingNode()) {
      return 0;
    }
    List<JsonNode> examples = new ArrayList<>();
    if (holder.has("example")) {
      examples.add(holder.get("example"));
    }
    holder.path("examples").forEach(example -> examples.add(example.path("value")));
    for (JsonNode example : examples) {
      List<Error> errors = schema(schema).validate(example);
      if (!errors.isEmpty()) {
        problems.add(where + ": " + errors);
      }
    }
    return examples.size();
  }

  /** {@code schema} as the root of a JSON Schema whose {@code #/components/...} refs resolve. */
  private Schema schema(JsonNode schema) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.setAll((ObjectNode) schema.deepCopy());
    root.set("components", doc.path("components"));
    return SCHEMAS.getSchema(root);
  }

  private JsonNode at(String ref) {
    return ref.startsWith("#")
        ? doc.at(ref.substring(1))
        : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static List<String> refs(JsonNode node, List<String> into) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              field -> {
                if (field.getKey().equals("$ref") && field.getValue().isTextual()) {
                  into.add(field.getValue().asText());
                } else {
                  refs(field.getValue(), into);
                }
              });
    } else if (node.isArray()) {
      node.forEach(item -> refs(item, into));
    }
    return into;
  }

  private static Iterable<java.util.Map.Entry<String, JsonNode>> iterable(JsonNode node) {
    return node.properties();
  }
}
