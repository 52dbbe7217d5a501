package dev.swarmdex.peer.share;

import java.util.ArrayList;
import java.util.List;

/**
 * How the scans of a share are going, for its owner to see: whether one runs, how far its hashing
 * is (files and bytes hashed of those to hash) and what it could not read, at most {@value
 * #MAX_ERRORS} problems of the latest scan. Written by the one scanning thread, read by any.
 */
public final class ScanStatus {
  /** Most problems kept of one scan. */
  public static final int MAX_ERRORS = 50;

  /** One file or folder a scan could not read, by its path below the share, and why. */
  public record Problem(String path, String error) {}

  /** A moment of the scans: what {@link ScanStatus#now()} answers. */
  public record Snapshot(
      boolean scanning,
      int filesToHash,
      int filesHashed,
      long bytesToHash,
      long bytesHashed,
      int scans,
      List<Problem> errors) {}

  private boolean scanning;
  private int filesToHash;
  private int filesHashed;
  private long bytesToHash;
  private long bytesHashed;
  private int scans;
  private List<Problem> errors = List.of();
  private List<Problem> found = new ArrayList<>();

  /** What the scans are doing now. */
  public synchronized Snapshot now() {
    return new Snapshot(
        scanning, filesToHash, filesHashed, bytesToHash, bytesHashed, scans, errors);
  }

  synchronized void started() {
    scanning = true;
    found = new ArrayList<>();
    filesToHash = 0;
    filesHashed = 0;
    bytesToHash = 0;
    bytesHashed = 0;
  }

  synchronized void hashing(int files, long bytes) {
    filesToHash = files;
    bytesToHash = bytes;
  }

  synchronized void hashed(int files, long bytes) {
    filesHashed = files;
    bytesHashed = bytes;
  }

  synchronized void failed(String path, String error) {
    if (found.size() < MAX_ERRORS) {
      found.add(new Problem(path, error == null ? "cannot be read" : error));
    }
    if (scanning) {
      errors = List.copyOf(found);
    }
  }

  synchronized void ended() {
    scanning = false;
    scans++;
    errors = List.copyOf(found);
  }
}
