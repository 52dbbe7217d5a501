package dev.swarmdex.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The JSON codec for every record in this package: strict on input (unknown fields, missing
 * primitives, trailing garbage, deep nesting and huge strings are errors), compact on output.
 *
 * <pre>{@code
 * JoinRequest req = Json.read(body, JoinRequest.class); // throws MalformedJsonException
 * byte[] out = Json.write(response);
 * }</pre>
 */
public final class Json {
  private static final ObjectMapper MAPPER = codec().addModule(ResultSerializers.module()).build();

  /**
   * For answers: the same limits, but fields this version does not know are skipped, so a newer
   * directory can add fields without breaking older peers. Requests stay strict.
   */
  private static final ObjectMapper ANSWERS =
      MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Json() {}

  /** The codec's settings, with Jackson's own encoding of every record (tests compare to it). */
  static JsonMapper.Builder codec() {
    return JsonMapper.builder(
            new com.fasterxml.jackson.core.JsonFactoryBuilder()
                .streamReadConstraints(
                    StreamReadConstraints.builder()
                        .maxNestingDepth(16)
                        .maxStringLength(64 * 1024)
                        .maxNumberLength(24)
                        .build())
                .build())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);
  }

  /** Decodes {@code body} as a {@code type}; every problem becomes a readable message. */
  public static <T> T read(byte[] body, Class<T> type) {
    return read(MAPPER, body, type);
  }

  private static <T> T read(ObjectMapper mapper, byte[] body, Class<T> type) {
    if (body == null || body.length == 0) {
      throw new MalformedJsonException("request body is empty; a JSON object is required");
    }
    try {
      T value = mapper.readValue(body, type);
      if (value == null) {
        throw new MalformedJsonException("request body is null; a JSON object is required");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw new MalformedJsonException("unknown field '" + e.getPropertyName() + "'", e);
    } catch (JsonMappingException e) {
      throw new MalformedJsonException(describe(e), e);
    } catch (JsonProcessingException e) {
      throw new MalformedJsonException("malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Decodes an answer from a server: as {@link #read}, except that fields this version does not
   * know are skipped (a newer server may send more).
   */
  public static <T> T readAnswer(byte[] body, Class<T> type) {
    return read(ANSWERS, body, type);
  }

  /** Encodes {@code value} as UTF-8 JSON. */
  public static byte[] write(Object value) {
    Output out = OUTPUT.get();
    if (out.inUse) {
      out = new Output(); // a serializer that encodes something itself; none does today
    }
    out.inUse = true;
    try {
      MAPPER.writeValue(out, value);
      return out.toByteArray();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // Output never fails
    } finally {
      out.release();
    }
  }

  /**
   * Each thread's buffer for {@link #write}. Jackson's own ({@code writeValueAsBytes}) starts at 2
   * KB and adds a block each time it fills, so a page of 50 results (about 20 KB) took seven
   * allocations and a list of blocks before its final copy (issue 7 in cdc7937:BENCHMARKS.md); this
   * one is kept and reused, and only the final copy remains. Buffers that grew past {@value
   * Output#KEPT_BYTES} bytes are not kept, so a server's request threads hold little.
   */
  private static final ThreadLocal<Output> OUTPUT = ThreadLocal.withInitial(Output::new);

  private static final class Output extends OutputStream {
    static final int KEPT_BYTES = 64 * 1024;
    private byte[] bytes = new byte[16 * 1024];
    private int size;
    boolean inUse;

    @Override
    public void write(int b) {
      ensure(1);
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
      Objects.checkFromIndexSize(offset, length, source.length);
      ensure(length);
      System.arraycopy(source, offset, bytes, size, length);
      size += length;
    }

    private void ensure(int more) {
      if (bytes.length - size < more) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, Math.addExact(size, more)));
      }
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, size);
    }

    void release() {
      size = 0;
      inUse = false;
      if (bytes.length > KEPT_BYTES) {
        bytes = new byte[16 * 1024];
      }
    }
  }

  /** Encodes {@code value} as a JSON string. */
  public static String writeString(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  private static String describe(JsonMappingException e) {
    String where = e.getPath().isEmpty() ? "" : path(e) + ": ";
    Throwable cause = e.getCause();
    if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
      return where + cause.getMessage();
    }
    return where + e.getOriginalMessage().replaceAll("\\s*\\(for .*", "").replaceAll("`", "'");
  }

  private static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }
}
