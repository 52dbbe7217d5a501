package dev.swarmdex.protocol;

import java.util.List;

/**
 * What became of handed-in evidence. At the index server each receipt part and each report is
 * {@code accepted} or {@code rejected} (with a short reason in {@code problems}, at most {@link
 * #MAX_PROBLEMS}); a supernode checks the shape and the caller's token, answers {@code queued} and
 * forwards the evidence to the index server, which scores it.
 */
public record EvidenceResult(int accepted, int rejected, int queued, List<String> problems) {
  public static final int MAX_PROBLEMS = 20;

  public EvidenceResult {
    problems = Require.list("problems", problems, MAX_PROBLEMS);
  }
}
