package dev.swarmdex.engine.api;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a directory's API has done since start, counted where it answers: user searches taken and
 * publishes accepted (a whole list, or changes to one). Read by the program's metrics.
 */
public final class ApiCounts {
  private final AtomicLong searches = new AtomicLong();
  private final AtomicLong searchesReused = new AtomicLong();
  private final AtomicLong publishes = new AtomicLong();
  private final AtomicLong publishedChanges = new AtomicLong();

  /** Searches answered ({@code GET search}), each counted once however far it went. */
  public long searches() {
    return searches.get();
  }

  /** Of those, searches answered with an earlier answer's JSON ({@link AnswerCache}). */
  public long searchesReused() {
    return searchesReused.get();
  }

  /** Whole file lists accepted ({@code PUT peers/{id}/files}). */
  public long publishes() {
    return publishes.get();
  }

  /** Changes to a file list accepted ({@code POST peers/{id}/files/changes}). */
  public long publishedChanges() {
    return publishedChanges.get();
  }

  void searched() {
    searches.incrementAndGet();
  }

  void reused() {
    searchesReused.incrementAndGet();
  }

  void published() {
    publishes.incrementAndGet();
  }

  void changed() {
    publishedChanges.incrementAndGet();
  }
}
