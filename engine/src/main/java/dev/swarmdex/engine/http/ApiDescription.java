package dev.swarmdex.engine.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * An API's OpenAPI 3.1 document, hand-written as a JSON resource beside the code it describes and
 * served as it is ({@code GET /api/v1/openapi.json} at a directory, {@code GET /api/openapi.json}
 * at a peer agent's UI). A program made of several APIs joins their documents with {@link #with}:
 * the index server serves the directory's document with its admin and credential routes added, a
 * supernode the directory's alone.
 *
 * <pre>{@code
 * ApiDescription full = ApiHandler.description()
 *     .with(ApiDescription.read(IndexServer.class, "openapi.json"));
 * byte[] json = full.bytes();
 * }</pre>
 */
public final class ApiDescription {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  /** The parts of a document {@link #with} joins, object by object. */
  private static final List<List<String>> MERGED =
      List.of(
          List.of("paths"), List.of("components", "schemas"), List.of("components", "examples"));

  private final ObjectNode root;
  private final byte[] bytes;

  private ApiDescription(ObjectNode root) {
    this.root = root;
    try {
      this.bytes = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The document in resource {@code name}, found as {@code owner}'s class loader finds it (a name
   * without '/' is in {@code owner}'s package).
   *
   * @throws IllegalStateException when it is missing or not a JSON object (a build mistake)
   */
  public static ApiDescription read(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no resource " + name + " beside " + owner.getName());
      }
      JsonNode node = MAPPER.readTree(in);
      if (!(node instanceof ObjectNode object)) {
        throw new IllegalStateException(name + " is not a JSON object");
      }
      return new ApiDescription(object);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * This document with {@code more}'s paths, schemas, examples, security schemes and tags added
   * (this one's info, servers and description kept).
   *
   * @throws IllegalArgumentException when both name the same path, schema, scheme or tag
   */
  public ApiDescription with(ApiDescription more) {
    ObjectNode joined = root.deepCopy();
    for (List<String> part : MERGED) {
      add(joined, more.root, part);
    }
    add(joined, more.root, List.of("components", "securitySchemes"));
    JsonNode tags = more.root.path("tags");
    if (tags.isArray()) {
      for (JsonNode tag : tags) {
        for (JsonNode known : joined.withArrayProperty("tags")) {
          if (known.path("name").equals(tag.path("name"))) {
            throw new IllegalArgumentException("tag " + tag.path("name") + " is in both");
          }
        }
        joined.withArrayProperty("tags").add(tag.deepCopy());
      }
    }
    return new ApiDescription(joined);
  }

  private static void add(ObjectNode into, ObjectNode from, List<String> part) {
    JsonNode source = from;
    ObjectNode target = into;
    for (String name : part) {
      source = source.path(name);
      target = target.withObjectProperty(name);
    }
    for (var field : source.properties()) {
      if (target.has(field.getKey())) {
        throw new IllegalArgumentException(
            String.join(".", part) + " " + field.getKey() + " is in both documents");
      }
      target.set(field.getKey(), field.getValue().deepCopy());
    }
  }

  /** The document as served: UTF-8 JSON. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The document's tree (a copy). */
  public ObjectNode tree() {
    return root.deepCopy();
  }

  @Override
  public String toString() {
    return Objects.toString(root.path("info").path("title").asText(null), "OpenAPI document");
  }
}
