package dev.swarmdex.engine.routing;

/**
 * What a directory's digests amount to, for the admin console's mesh view.
 *
 * @param ownBytes the encoded size of its own digest (what a whole send carries)
 * @param ownEntries the names counted into its own digest
 * @param ownFill the share of its own digest's slots set, 0 to 1
 * @param ownVersion its own digest's version (rises with every change)
 * @param held how many other directories' digests it holds (its affinity group's)
 */
public record DigestSummary(
    int ownBytes, long ownEntries, double ownFill, long ownVersion, int held) {
  /** Nothing held, nothing counted. */
  public static final DigestSummary NONE = new DigestSummary(0, 0, 0, 0, 0);
}
