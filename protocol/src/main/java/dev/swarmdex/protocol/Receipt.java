package dev.swarmdex.protocol;

import java.util.List;

/**
 * A downloader's confirmation that {@code uploader} served it verified bytes of {@code sha256}: one
 * {@link ServedPart} for each response whose bytes passed the chunk (or whole-file) check. Parts
 * for bytes that failed the check are never put in a receipt; they go in a {@link TransferReport}.
 */
public record Receipt(String uploader, Sha256 sha256, List<ServedPart> parts) {
  public Receipt {
    Require.text("uploader", uploader, 64);
    Require.present("sha256", sha256);
    parts = Require.list("parts", parts, Limits.MAX_PARTS_PER_RECEIPT);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("a receipt needs at least one part");
    }
  }
}
