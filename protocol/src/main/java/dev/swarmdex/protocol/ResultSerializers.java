package dev.swarmdex.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.List;

/**
 * Hand-written encoders for what every search answer is made of ({@link SearchResponse}, {@link
 * SearchResult}, {@link Source}): the same fields, order and omissions as Jackson's encoding of the
 * records, without its reflective calls of each accessor, which were most of the cost of encoding a
 * page of 50 results (BENCHMARKS.md, issue 7). {@code ResultSerializersTest} holds them to
 * Jackson's own output.
 */
final class ResultSerializers {
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
      out.writeFieldName("results");
      writeResults(value.results(), out);
      out.writeNumberField("total", value.total());
      out.writeNumberField("offset", value.offset());
      out.writeNumberField("directories", value.directories());
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
    out.writeStringField("name", result.name());
    out.writeNumberField("size", result.size());
    out.writeStringField("sha256", result.sha256().hex());
    out.writeStringField("type", result.type().label());
    out.writeFieldName("sources");
    out.writeStartArray();
    for (Source source : result.sources()) {
      writeSource(source, out);
    }
    out.writeEndArray();
    if (result.treeRoot() != null) {
      out.writeStringField("treeRoot", result.treeRoot().hex());
    }
    out.writeEndObject();
  }

  private static void writeSource(Source source, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("peer", source.peer());
    out.writeStringField("ip", source.ip());
    out.writeNumberField("port", source.port());
    out.writeStringField("url", source.url());
    out.writeBooleanField("firewalled", source.firewalled());
    if (source.via() != null) {
      out.writeStringField("via", source.via());
    }
    out.writeNumberField("reputation", source.reputation());
    out.writeEndObject();
  }
}
