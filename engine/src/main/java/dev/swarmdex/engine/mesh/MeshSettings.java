package dev.swarmdex.engine.mesh;

import java.time.Duration;

/** How the mesh is run: links per directory, and how often supernodes report. */
public record MeshSettings(int degree, Duration heartbeat, Duration timeout) {
  public MeshSettings {
    if (degree < 1 || degree > 32) {
      throw new IllegalArgumentException("--mesh-degree must be between 1 and 32");
    }
    if (timeout.compareTo(heartbeat) <= 0) {
      throw new IllegalArgumentException("the mesh timeout must be longer than its heartbeat");
    }
  }
}
