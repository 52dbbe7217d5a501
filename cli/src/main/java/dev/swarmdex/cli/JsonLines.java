package dev.swarmdex.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One log event as one line of JSON: {@code time}, {@code level}, {@code logger}, {@code thread},
 * {@code message} (formatted), then each key-value pair the event carries (such as {@code peer})
 * and the MDC's, and {@code exception} (the stack trace as one string) when there is one.
 *
 * <pre>
 * {"time":"2026-01-02T03:04:05.678Z","level":"INFO","logger":"dev.swarmdex...","thread":"main",
 *  "message":"peer 4f.. joined from 127.0.0.2","peer":"4f.."}
 * </pre>
 */
final class JsonLines extends EncoderBase<ILoggingEvent> {
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] NOTHING = new byte[0];

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator out = JSON.createGenerator(bytes)) {
      out.writeStartObject();
      out.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      out.writeStringField("level", event.getLevel().toString());
      out.writeStringField("logger", event.getLoggerName());
      out.writeStringField("thread", event.getThreadName());
      out.writeStringField("message", event.getFormattedMessage());
      if (event.getKeyValuePairs() != null) {
        for (KeyValuePair pair : event.getKeyValuePairs()) {
          out.writeStringField(pair.key, String.valueOf(pair.value));
        }
      }
      for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
        out.writeStringField(entry.getKey(), entry.getValue());
      }
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        out.writeStringField("exception", ThrowableProxyUtil.asString(thrown));
      }
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    bytes.write('\n');
    return bytes.toByteArray();
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }
}
