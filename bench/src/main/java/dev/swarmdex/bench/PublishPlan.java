package dev.swarmdex.bench;

import dev.swarmdex.protocol.Limits;
import dev.swarmdex.protocol.SharedFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code publish-search} cuts the entries into publish calls: each simulated peer's contiguous
 * share, in chunks the server takes, with a sample to search for on about {@link
 * #VISIBILITY_SAMPLES} of them; and the rounds of a publish warm-up.
 */
final class PublishPlan {
  /** Entries sampled for "searchable after the answer". */
  static final int VISIBILITY_SAMPLES = 200;

  /** A sampled entry is only used when its rarest word is in at most this many names. */
  static final int MAX_SAMPLE_WORD_FREQUENCY = 50;

  /** Body budget of one publish, below the server's 4 MiB limit. */
  static final int MAX_PUBLISH_BYTES = 3 * 1024 * 1024;

  /**
   * The rounds of a publish warm-up of {@code total} entries: {@code entries} whole as many times
   * as they fit, then the first part of them that is left (none when {@code total} is 0).
   */
  static List<List<SharedFile>> warmUpRounds(List<SharedFile> entries, long total) {
    List<List<SharedFile>> rounds = new ArrayList<>();
    for (long left = total; left > 0 && !entries.isEmpty(); left -= entries.size()) {
      rounds.add(entries.subList(0, (int) Math.min(left, entries.size())));
    }
    return rounds;
  }

  /** One publish call: a peer's chunk, full (the peer's first) or as changes. */
  record Call(int peer, List<SharedFile> files, boolean full, Sample sample) {}

  /** An entry to search for right after its publish answers, and the word to search. */
  record Sample(SharedFile entry, String word) {}

  private PublishPlan() {}

  /**
   * Each peer's calls: contiguous shares of {@code entries}, cut into chunks of at most {@link
   * Limits#MAX_ENTRIES_PER_PUBLISH} entries and {@link #MAX_PUBLISH_BYTES}; about {@link
   * #VISIBILITY_SAMPLES} calls, spread evenly, carry a sample (none when {@code mix} is null).
   */
  static List<List<Call>> plan(List<SharedFile> entries, int peers, QueryMix mix) {
    List<List<Call>> plans = new ArrayList<>(peers);
    int total = 0;
    for (int p = 0; p < peers; p++) {
      int from = (int) ((long) entries.size() * p / peers);
      int to = (int) ((long) entries.size() * (p + 1) / peers);
      List<Call> calls = new ArrayList<>();
      List<List<SharedFile>> chunks = chunks(entries.subList(from, to));
      for (int c = 0; c < chunks.size(); c++) {
        calls.add(new Call(p, chunks.get(c), c == 0, null));
      }
      total += calls.size();
      plans.add(calls);
    }
    if (mix == null) {
      return plans;
    }
    int every = Math.max(1, total / VISIBILITY_SAMPLES);
    int index = 0;
    for (List<Call> calls : plans) {
      for (int c = 0; c < calls.size(); c++, index++) {
        if (index % every == 0) {
          Sample sample = sampleOf(calls.get(c).files(), mix);
          if (sample != null) {
            Call call = calls.get(c);
            calls.set(c, new Call(call.peer(), call.files(), call.full(), sample));
          }
        }
      }
    }
    return plans;
  }

  /** Cuts {@code files} into publishable chunks (an empty list gives one empty chunk). */
  static List<List<SharedFile>> chunks(List<SharedFile> files) {
    List<List<SharedFile>> chunks = new ArrayList<>();
    int start = 0;
    long bytes = 0;
    for (int i = 0; i < files.size(); i++) {
      // name (UTF-8, quoted), 64-digit id, size and the JSON around them
      long entryBytes = files.get(i).name().getBytes(StandardCharsets.UTF_8).length + 120L;
      if (i - start == Limits.MAX_ENTRIES_PER_PUBLISH || bytes + entryBytes > MAX_PUBLISH_BYTES) {
        chunks.add(files.subList(start, i));
        start = i;
        bytes = 0;
      }
      bytes += entryBytes;
    }
    chunks.add(files.subList(start, files.size()));
    return chunks;
  }

  /** The chunk's entry with the rarest word, when that word is rare enough to find it. */
  static Sample sampleOf(List<SharedFile> chunk, QueryMix mix) {
    Sample best = null;
    int bestCount = Integer.MAX_VALUE;
    for (SharedFile file : chunk) {
      String word = mix.rarestWord(file.name());
      int count = word == null ? Integer.MAX_VALUE : mix.frequency(word);
      if (count < bestCount) {
        best = new Sample(file, word);
        bestCount = count;
      }
    }
    return bestCount <= MAX_SAMPLE_WORD_FREQUENCY ? best : null;
  }
}
