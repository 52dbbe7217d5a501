package dev.swarmdex.index.store;

import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The {@code join_proofs} table (V7): the signed joins every index server on the database took, so
 * that a join is taken once in the whole network, whichever server it is shown to.
 */
public final class UsedProofs {
  private final Jdbi jdbi;

  private UsedProofs(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The used proofs of the database behind {@code jdbi}. */
  public static UsedProofs using(Jdbi jdbi) {
    return new UsedProofs(jdbi);
  }

  /**
   * Records a join's signature (by its hash) as used until {@code until}; false when it was used
   * before, by this server or another.
   */
  public boolean take(String signatureHash, Instant until) {
    try {
      jdbi.useHandle(
          h ->
              h.createUpdate(
                      "INSERT INTO join_proofs (signature_hash, until_ms) VALUES (:h, :until)")
                  .bind("h", signatureHash)
                  .bind("until", until.toEpochMilli())
                  .execute());
      return true;
    } catch (JdbiException e) {
      if (StoreErrors.of("record a join", e) instanceof DuplicateKeyException) {
        return false;
      }
      throw StoreErrors.of("record a join", e);
    }
  }

  /** Deletes proofs used until before {@code now}; returns how many. */
  public int prune(Instant now) {
    try {
      return jdbi.withHandle(
          h -> h.execute("DELETE FROM join_proofs WHERE until_ms < ?", now.toEpochMilli()));
    } catch (JdbiException e) {
      throw StoreErrors.of("prune used joins", e);
    }
  }
}
