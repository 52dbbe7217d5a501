package dev.swarmdex.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's setup before a program has read its flags (and in tests): text lines on stderr from
 * INFO up, as {@link Logs} makes them. Found by logback through {@code META-INF/services}; a {@code
 * logback.xml} named by {@code -Dlogback.configurationFile} is used instead.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    Logs.install(context, Logs.Format.TEXT, Level.INFO);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
