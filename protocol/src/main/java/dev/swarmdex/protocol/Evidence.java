package dev.swarmdex.protocol;

import java.util.List;

/**
 * What a peer hands its directory about its downloads ({@code POST /api/v1/peers/{id}/evidence}):
 * receipts for verified bytes and reports of failed or corrupt transfers. Either list may be empty,
 * not both.
 */
public record Evidence(List<Receipt> receipts, List<TransferReport> reports) {
  public Evidence {
    receipts = Require.list("receipts", receipts, Limits.MAX_RECEIPTS_PER_CALL);
    reports = Require.list("reports", reports, Limits.MAX_REPORTS_PER_CALL);
    if (receipts.isEmpty() && reports.isEmpty()) {
      throw new IllegalArgumentException("evidence needs at least one receipt or report");
    }
  }
}
