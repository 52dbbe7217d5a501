package dev.swarmdex.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Where and how the programs log: to stderr, one line an event, as text or (for log shippers) as
 * one JSON object a line ({@link JsonLines}); INFO and above, Jetty's and Flyway's own chatter only
 * from WARN. A JVM started with {@code -Dlogback.configurationFile=FILE} keeps that file's setup.
 *
 * <pre>
 * Logs.configure(Logs.Format.of("json"), false);
 * </pre>
 */
public final class Logs {
  /** The text line: time, level, thread, logger, message. */
  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger - %msg%n";

  private static final String OWN_FILE = "logback.configurationFile";

  private Logs() {}

  /** The two formats of {@code --log-format}. */
  public enum Format {
    TEXT,
    JSON;

    /** {@code text} or {@code json}, else one line naming the flag. */
    public static Format of(String name) {
      for (Format format : values()) {
        if (format.name().toLowerCase(Locale.ROOT).equals(name)) {
          return format;
        }
      }
      throw new IllegalArgumentException("--log-format must be text or json, not '" + name + "'");
    }
  }

  /** Logs in {@code format}, from INFO up ({@code quiet}: from WARN up). */
  public static void configure(Format format, boolean quiet) {
    if (System.getProperty(OWN_FILE) != null
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.reset();
    install(context, format, quiet ? Level.WARN : Level.INFO);
  }

  /** Sets {@code context} up from nothing. */
  static void install(LoggerContext context, Format format, Level level) {
    Encoder<ILoggingEvent> encoder;
    if (format == Format.JSON) {
      encoder = new JsonLines();
    } else {
      PatternLayoutEncoder pattern = new PatternLayoutEncoder();
      pattern.setPattern(PATTERN);
      encoder = pattern;
    }
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("stderr");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(stderr);
    // Their INFO lines are start-up banners and object dumps, not events of the network.
    context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
    context.getLogger("org.flywaydb").setLevel(Level.WARN);
  }
}
