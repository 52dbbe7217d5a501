package dev.swarmdex.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Hand-written encoders for what every search answer is made of ({@link SearchResponse}, {@link
 * SearchResult}, {@link Source}): the same fields, order and omissions as Jackson's encoding of the
 * records, without its reflective calls of each accessor, which were most of the cost of encoding a
 * page of 50 results (issue 7 in cdc7937:BENCHMARKS.md). {@code ResultSerializersTest} holds them
 * to Jackson's own output.
 */
final class ResultSerializers {
  // Field names encoded once, rather than for every result.
  private static final SerializedString RESULTS = new SerializedString("results");
  private static final SerializedString TOTAL = new SerializedString("total");
  private static final SerializedString OFFSET = new SerializedString("offset");
  private static final SerializedString DIRECTORIES = new SerializedString("directories");
  private static final SerializedString STOPPED_EARLY = new SerializedString("stoppedEarly");
  private static final SerializedString NAME = new SerializedString("name");
  private static final SerializedString SIZE = new SerializedString("size");
  private static final SerializedString SHA256 = new SerializedString("sha256");
  private static final SerializedString TYPE = new SerializedString("type");
  private static final SerializedString SOURCES = new SerializedString("sources");
  private static final SerializedString NETWORKS = new SerializedString("networks");
  private static final SerializedString TREE_ROOT = new SerializedString("treeRoot");
  private static final SerializedString PEER = new SerializedString("peer");
  private static final SerializedString IP = new SerializedString("ip");
  private static final SerializedString PORT = new SerializedString("port");
  private static final SerializedString URL = new SerializedString("url");
  private static final SerializedString FIREWALLED = new SerializedString("firewalled");
  private static final SerializedString VIA = new SerializedString("via");
  private static final SerializedString REPUTATION = new SerializedString("reputation");

  private ResultSerializers() {}

  /** The encoders, to register on a mapper. */
  static SimpleModule module() {
    SimpleModule module = new SimpleModule("swarmdex-results");
    module.addSerializer(SearchResponse.class, new ResponseSerializer());
    module.addSerializer(SearchResult.class, new ResultSerializer());
    module.addSerializer(Source.class, new SourceSerializer());
    return module;
  }

  private static final class ResponseSerializer extends StdSerializer<SearchResponse> {
    ResponseSerializer() {
      super(SearchResponse.class);
    }

    @Override
    public void serialize(SearchResponse value, JsonGenerator out, SerializerProvider provider)
        throws IOException {
      out.writeStartObject();
      out.writeFieldName(RESULTS);
      writeResults(value.results(), out);
      writeNumber(out, TOTAL, value.total());
      writeNumber(out, OFFSET, value.offset());
      writeNumber(out, DIRECTORIES, value.directories());
      out.writeFieldName(STOPPED_EARLY);
      out.writeBoolean(value.stoppedEarly());
      out.writeEndObject();
    }
  }

  private static final class ResultSerializer extends StdSerializer<SearchResult> {
    ResultSerializer() {
      super(SearchResult.class);
    }

    @Override
    public void serialize(SearchResult value, JsonGenerator out, SerializerProvider provider)
        throws IOException {
      writeResult(value, out);
    }
  }

  private static final class SourceSerializer extends StdSerializer<Source> {
    SourceSerializer() {
      super(Source.class);
    }

    @Override
    public void serialize(Source value, JsonGenerator out, SerializerProvider provider)
        throws IOException {
      writeSource(value, out);
    }
  }

  private static void writeResults(List<SearchResult> results, JsonGenerator out)
      throws IOException {
    out.writeStartArray();
    for (SearchResult result : results) {
      writeResult(result, out);
    }
    out.writeEndArray();
  }

  private static void writeResult(SearchResult result, JsonGenerator out) throws IOException {
    out.writeStartObject();
    writeString(out, NAME, result.name());
    writeNumber(out, SIZE, result.size());
    writeString(out, SHA256, result.sha256().hex());
    writeString(out, TYPE, result.type().label());
    out.writeFieldName(SOURCES);
    out.writeStartArray();
    for (Source source : result.sources()) {
      writeSource(source, out);
    }
    out.writeEndArray();
    writeNumber(out, NETWORKS, result.networks());
    if (result.treeRoot() != null) {
      writeString(out, TREE_ROOT, result.treeRoot().hex());
    }
    out.writeEndObject();
  }

  private static void writeSource(Source source, JsonGenerator out) throws IOException {
    out.writeStartObject();
    writeString(out, PEER, source.peer());
    writeString(out, IP, source.ip());
    writeNumber(out, PORT, source.port());
    writeString(out, URL, source.url());
    writeBoolean(out, FIREWALLED, source.firewalled());
    if (source.via() != null) {
      writeString(out, VIA, source.via());
    }
    writeNumber(out, REPUTATION, source.reputation());
    out.writeEndObject();
  }

  private static void writeString(JsonGenerator out, SerializedString name, String value)
      throws IOException {
    out.writeFieldName(name);
    if (out instanceof UTF8JsonGenerator && isPlain(value)) {
      // Nothing to escape or encode: its bytes are its UTF-8, copied rather than encoded a
      // character at a time (only a byte-writing generator takes them).
      byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
      out.writeRawUTF8String(bytes, 0, bytes.length);
    } else {
      out.writeString(value);
    }
  }

  /** Whether {@code value} is printable ASCII that JSON writes as it is (no quote or backslash). */
  private static boolean isPlain(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static void writeNumber(JsonGenerator out, SerializedString name, long value)
      throws IOException {
    out.writeFieldName(name);
    out.writeNumber(value);
  }

  private static void writeNumber(JsonGenerator out, SerializedString name, int value)
      throws IOException {
    out.writeFieldName(name);
    out.writeNumber(value);
  }

  private static void writeBoolean(JsonGenerator out, SerializedString name, boolean value)
      throws IOException {
    out.writeFieldName(name);
    out.writeBoolean(value);
  }
}
