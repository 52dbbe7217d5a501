package dev.swarmdex.index.admin;

import java.util.List;

/**
 * The answer to {@code GET /api/v1/admin/audit}: entries newest first, each with its time as an
 * ISO-8601 UTC string ({@code at}).
 */
public record AuditPage(List<Item> entries) {
  public AuditPage {
    entries = List.copyOf(entries);
  }

  /** One audit entry as it travels. */
  public record Item(
      long id, String at, String admin, String action, String target, String detail) {
    static Item of(AuditEntry entry) {
      return new Item(
          entry.id(),
          entry.at().toString(),
          entry.admin(),
          entry.action(),
          entry.target(),
          entry.detail());
    }
  }
}
