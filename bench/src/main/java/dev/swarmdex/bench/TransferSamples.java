package dev.swarmdex.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Timed downloads of one file, one a line in a tab-separated file that {@code scripts/bench.sh}
 * writes as it measures: {@code CLIENT SOURCES ROUND BYTES SECONDS}, for example {@code curl-nginx
 * 1 2 1073741824 0.912}. Blank lines and lines starting with {@code #} are skipped.
 */
record TransferSamples(List<Sample> samples) {
  /** One timed download: what fetched it, from how many sources, which round, bytes, seconds. */
  record Sample(String client, int sources, int round, long bytes, double seconds) {
    Sample {
      if (client == null || client.isBlank() || client.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("a client is one word, not '" + client + "'");
      }
      if (sources < 1 || round < 1 || bytes < 0 || !(seconds > 0)) {
        throw new IllegalArgumentException(
            "sources and round must be at least 1, bytes at least 0 and seconds above 0");
      }
    }

    /** Bytes a second. */
    double bytesPerSecond() {
      return bytes / seconds;
    }

    /** The line of the samples file that {@link #parseLine} reads back. */
    String line() {
      return String.format(
          Locale.ROOT, "%s\t%d\t%d\t%d\t%.6f", client, sources, round, bytes, seconds);
    }
  }

  TransferSamples {
    samples = List.copyOf(samples);
  }

  static TransferSamples read(Path file) throws IOException {
    List<Sample> samples = new ArrayList<>();
    int number = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      number++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      try {
        samples.add(parseLine(line));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + " line " + number + ": " + e.getMessage(), e);
      }
    }
    return new TransferSamples(samples);
  }

  static Sample parseLine(String line) {
    String[] f = line.trim().split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException(
          "expected CLIENT SOURCES ROUND BYTES SECONDS, got '" + line + "'");
    }
    try {
      return new Sample(
          f[0],
          Integer.parseInt(f[1]),
          Integer.parseInt(f[2]),
          Long.parseLong(f[3]),
          Double.parseDouble(f[4]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number in '" + line + "'", e);
    }
  }

  /** The samples of {@code client} from {@code sources} sources, in round order. */
  List<Sample> of(String client, int sources) {
    return samples.stream()
        .filter(s -> s.client().equals(client) && s.sources() == sources)
        .sorted((a, b) -> Integer.compare(a.round(), b.round()))
        .toList();
  }

  /** The median of {@code values}: the middle one, or the mean of the middle two; NaN if none. */
  static double median(double... values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  static double medianSeconds(List<Sample> samples) {
    return median(samples.stream().mapToDouble(Sample::seconds).toArray());
  }

  static double medianBytesPerSecond(List<Sample> samples) {
    return median(samples.stream().mapToDouble(Sample::bytesPerSecond).toArray());
  }
}
