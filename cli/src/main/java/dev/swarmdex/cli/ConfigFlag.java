package dev.swarmdex.cli;

import picocli.CommandLine.Option;

/**
 * {@code --config FILE}, mixed into each program's flags ({@code @Mixin ConfigFlag config}); {@link
 * ConfigFile#install} reads the file before the flags are parsed.
 */
public final class ConfigFlag {
  @Option(
      names = ConfigFile.FLAG,
      paramLabel = "FILE",
      description = "read settings from this TOML file (keys are the long flags without dashes)")
  public String file;
}
