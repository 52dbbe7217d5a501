package dev.swarmdex.system.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One change to a valid request: a method, a header, a path segment, a query value, a JSON field,
 * or the body's bytes. Mutations are data (records of strings and numbers), so jqwik can shrink a
 * failing list of them and a failure reads as what was sent; a value may name a secret of the
 * running network ({@code {otherToken}}, {@code {otherPeer}}, {@code {csrf}}, {@code {session}},
 * {@code {sha}}), filled in when applied.
 */
sealed interface Mutation {
  /** Put where a JSON text or header value should carry the bytes of a lone UTF-16 surrogate. */
  String LONE = "\u0000LONE\u0000";

  /** Put where bytes should carry 0xFF, never valid in UTF-8. */
  String FF = "\u0000FF\u0000";

  Probe apply(Probe probe, Map<String, String> secrets);

  /** Sends the request with another method. */
  record Method(String method) implements Mutation {
    @Override
    public Probe apply(Probe probe, Map<String, String> secrets) {
      return probe.withMethod(method);
    }
  }

  /** Sets a header (replacing its lines), or removes it when {@code value} is null. */
  record SetHeader(String name, String value) implements Mutation {
    @Override
    public Probe apply(Probe probe, Map<String, String> secrets) {
      return probe.withHeader(name, value == null ? null : fill(value, secrets));
    }
  }

  /** Adds one more line of a header. */
  record AddHeader(String name, String value) implements Mutation {
    @Override
    public Probe apply(Probe probe, Map<String, String> secrets) {
      return probe.addHeader(name, fill(value, secrets));
    }
  }

  /** Replaces path segment {@code index} (modulo their number) with a raw value. */
  record Segment(int index, String value) implements Mutation {
    @Override
    public Probe apply(Probe probe, Map<String, String> secrets) {
      String[] segments = probe.path().substring(1).split("/", -1);
      segments[Math.floorMod(index, segments.length)] = fill(value, secrets);
      return probe.withPath("/" + String.join("/", segments));
    }
  }

  /** Adds a raw segment at the end of the path. */
  record AppendSegment(String value) implements Mutation {
    @Override
    public Probe apply(Probe probe, Map<String, String> secrets) {
      return probe.withPath(probe.path() + "/" + fill(value, secrets));
    }
  }

  /**
   * Replaces the value of query parameter {@code index} (modulo their number) with a raw value, or
   * adds {@code name=value} when there is none; {@code repeat} adds it again instead.
   */
  record QueryValue(int index, String name, String value, boolean repeat) implements Mutation {
    @Override
    public Probe apply(Probe probe, Map<String, String> secrets) {
      String raw = fill(value, secrets);
      if (probe.query().isEmpty()) {
        return probe.withQuery(name + "=" + raw);
      }
      List<String> params = new ArrayList<>(Arrays.asList(probe.query().split("&", -1)));
      int at = Math.floorMod(index, params.size());
      String param = params.get(at);
      int eq = param.indexOf('=');
      String key = eq >= 0 ? param.substring(0, eq) : param;
      if (repeat) {
        params.add(key + "=" + raw);
      } else {
        params.set(at, key + "=" + raw);
      }
      return probe.withQuery(String.join("&", params));
    }
  }

  /** Replaces node {@code index} (modulo the number of nodes, in document order) with raw JSON. */
  record JsonReplace(int index, String rawJson) implements Mutation {
    @Override
    public Probe apply(Probe probe, Map<String, String> secrets) {
      JsonNode root = Bodies.tree(probe.body());
      if (root == null) {
        return probe;
      }
      List<JsonNode[]> nodes = Bodies.nodes(root);
      JsonNode[] pick = nodes.get(Math.floorMod(index, nodes.size()));
      String replacement = fill(rawJson, secrets);
      if (pick[0] == null) {
        return probe.withBody(bytes(replacement));
      }
      TextNode marker = new TextNode(Bodies.MARK);
      if (pick[0] instanceof ObjectNode object) {
        object.properties().stream()
            .filter(e -> e.getValue() == pick[1])
            .findFirst()
            .ifPresent(e -> e.setValue(marker));
      } else if (pick[0] instanceof ArrayNode array) {
        for (int i = 0; i < array.size(); i++) {
          if (array.get(i) == pick[1]) {
            array.set(i, marker);
            break;
          }
        }
      }
      return probe.withBody(
          bytes(Bodies.text(root).replace("\"" + Bodies.MARK + "\"", replacement)));
    }
  }

  /** Drops object field {@code index} (modulo the number of fields, in document order). */
  record JsonDrop(int index) implements Mutation {
    @Override
    public Probe apply(Probe probe, Map<String, String> secrets) {
      JsonNode root = Bodies.tree(probe.body());
      if (root == null) {
        return probe;
      }
      List<Object[]> fields = Bodies.fields(root);
      if (fields.isEmpty()) {
        return probe;
      }
      Object[] pick = fields.get(Math.floorMod(index, fields.size()));
      ((ObjectNode) pick[0]).remove((String) pick[1]);
      return probe.withBody(bytes(Bodies.text(root)));
    }
  }

  /** Adds a field (unknown, or a duplicate key) to the top-level object, as raw JSON text. */
  record JsonAddField(String name, String rawJson) implements Mutation {
    @Override
    public Probe apply(Probe probe, Map<String, String> secrets) {
      String text = new String(probe.body(), StandardCharsets.UTF_8).stripLeading();
      if (!text.startsWith("{")) {
        return probe;
      }
      String field = "\"" + name + "\":" + fill(rawJson, secrets);
      String rest = text.substring(1).stripLeading();
      return probe.withBody(bytes("{" + field + (rest.startsWith("}") ? "" : ",") + rest));
    }
  }

  /** Keeps the first {@code percent}% of the body's bytes. */
  record Truncate(int percent) implements Mutation {
    @Override
    public Probe apply(Probe probe, Map<String, String> secrets) {
      int keep = probe.body().length * Math.floorMod(percent, 100) / 100;
      return probe.withBody(Arrays.copyOf(probe.body(), keep));
    }
  }

  /** Sets the byte at {@code index} (modulo the length) to {@code value}. */
  record FlipByte(int index, int value) implements Mutation {
    @Override
    public Probe apply(Probe probe, Map<String, String> secrets) {
      if (probe.body().length == 0) {
        return probe;
      }
      byte[] body = probe.body().clone();
      body[Math.floorMod(index, body.length)] = (byte) value;
      return probe.withBody(body);
    }
  }

  /** Replaces the whole body with raw text. */
  record ReplaceBody(String raw) implements Mutation {
    @Override
    public Probe apply(Probe probe, Map<String, String> secrets) {
      return probe.withBody(bytes(fill(raw, secrets)));
    }
  }

  /** {@code text} with the secrets it names filled in. */
  static String fill(String text, Map<String, String> secrets) {
    String out = text;
    if (out.indexOf('{') >= 0) {
      for (Map.Entry<String, String> secret : secrets.entrySet()) {
        out = out.replace("{" + secret.getKey() + "}", secret.getValue());
      }
    }
    return out;
  }

  /** UTF-8, with {@link #LONE} and {@link #FF} as the raw bytes they stand for. */
  static byte[] bytes(String text) {
    if (text.indexOf('\u0000') < 0) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < text.length()) {
      if (text.startsWith(LONE, at)) {
        out.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        at += LONE.length();
      } else if (text.startsWith(FF, at)) {
        out.write(0xFF);
        at += FF.length();
      } else {
        int end = text.indexOf('\u0000', at + 1);
        if (end < 0) {
          end = text.length();
        }
        out.writeBytes(text.substring(at, end).getBytes(StandardCharsets.UTF_8));
        at = end;
      }
    }
    return out.toByteArray();
  }

  /** The JSON tree walking shared by the JSON mutations. */
  final class Bodies {
    static final String MARK = "@@swarmdex-fuzz-mark@@";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Bodies() {}

    static JsonNode tree(byte[] body) {
      try {
        return body.length == 0 ? null : MAPPER.readTree(body);
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }

    static String text(JsonNode root) {
      try {
        return MAPPER.writeValueAsString(root);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Every node as {parent, node}, in document order; the root has no parent. */
    static List<JsonNode[]> nodes(JsonNode root) {
      List<JsonNode[]> out = new ArrayList<>();
      walk(null, root, out);
      return out;
    }

    private static void walk(JsonNode parent, JsonNode node, List<JsonNode[]> out) {
      out.add(new JsonNode[] {parent, node});
      node.forEach(child -> walk(node, child, out));
    }

    /** Every object field as {object, name}, in document order. */
    static List<Object[]> fields(JsonNode root) {
      List<Object[]> out = new ArrayList<>();
      for (JsonNode[] pair : nodes(root)) {
        if (pair[1] instanceof ObjectNode object) {
          object.fieldNames().forEachRemaining(name -> out.add(new Object[] {object, name}));
        }
      }
      return out;
    }
  }
}
