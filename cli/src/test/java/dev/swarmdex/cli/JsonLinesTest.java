package dev.swarmdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

class JsonLinesTest {
  @Test
  void anEventIsOneLineOfJsonWithItsPairsAndItsStackTrace() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger logger = context.getLogger("dev.swarmdex.Demo");
    LoggingEvent event =
        new LoggingEvent(
            Logger.class.getName(),
            logger,
            Level.WARN,
            "probing peer {} again failed",
            new IllegalStateException("line one\nline two"),
            new Object[] {"p123"});
    event.setKeyValuePairs(List.of(new KeyValuePair("peer", "p123")));
    JsonLines encoder = new JsonLines();
    encoder.setContext(context);
    encoder.start();

    String text = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertTrue(text.endsWith("\n"), text);
    assertEquals(1, text.lines().count(), text);
    JsonNode line = new ObjectMapper().readTree(text);
    assertEquals("WARN", line.get("level").asText());
    assertEquals("dev.swarmdex.Demo", line.get("logger").asText());
    assertEquals("probing peer p123 again failed", line.get("message").asText());
    assertEquals("p123", line.get("peer").asText());
    assertTrue(line.get("exception").asText().contains("line two"), text);
  }
}
