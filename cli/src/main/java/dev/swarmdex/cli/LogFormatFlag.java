package dev.swarmdex.cli;

import picocli.CommandLine.Option;

/** {@code --log-format text|json}, mixed into each long-running program's flags. */
public final class LogFormatFlag {
  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default) or json: one JSON object a line, for log shippers")
  public String format;

  /** Sends the program's log to stderr in the format given; at INFO unless {@code quiet}. */
  public void apply(boolean quiet) {
    Logs.configure(Logs.Format.of(format), quiet);
  }
}
