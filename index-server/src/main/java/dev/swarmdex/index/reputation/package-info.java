/**
 * Reputation: a participation level per peer (0-1000) computed by the index server only from
 * evidence the network can check.
 *
 * <p>{@link dev.swarmdex.index.reputation.ReputationScore} and {@link
 * dev.swarmdex.index.reputation.TicketRules} are pure (values in, values out) and hold the whole
 * formula and every anti-gaming rule; {@link dev.swarmdex.index.reputation.ReputationStore} keeps
 * the evidence in the database; {@link dev.swarmdex.index.reputation.ReputationLedger} joins them:
 * intake, uptime, levels and their history.
 */
package dev.swarmdex.index.reputation;
