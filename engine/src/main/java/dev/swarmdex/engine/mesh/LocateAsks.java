package dev.swarmdex.engine.mesh;

import dev.swarmdex.engine.directory.Directory;
import dev.swarmdex.engine.directory.DirectoryException;
import dev.swarmdex.engine.overlay.ResultMerge;
import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Asks supernodes for their sources of a content id: one after another until one answers as wanted
 * (the index server's checks of an uploader), or all at once (a directory without content homes).
 */
final class LocateAsks {
  private LocateAsks() {}

  /**
   * The first answer of the supernodes at {@code urls} that {@code wanted} accepts; a supernode
   * that fails, has no source or is late counts as saying no.
   */
  static Optional<SearchResult> first(
      ApiClient api,
      ExecutorService pool,
      Sha256 sha256,
      List<String> urls,
      int budgetMillis,
      Predicate<SearchResult> wanted) {
    for (String url : urls) {
      ApiClient there = api.at(URI.create(url));
      CompletableFuture<SearchResult> asked =
          CompletableFuture.supplyAsync(() -> there.locate(sha256), pool);
      try {
        SearchResult found = asked.get(budgetMillis, TimeUnit.MILLISECONDS);
        if (wanted.test(found)) {
          return Optional.of(found);
        }
      } catch (ExecutionException | TimeoutException e) {
        asked.cancel(true); // 404 there (no source), or no answer in time
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * Every source of {@code sha256} that {@code directory} and the directories at {@code others}
   * (asked at once, within {@code budgetMillis}) know, merged into one result; one that fails or is
   * late counts as knowing none.
   *
   * @throws DirectoryException NOT_FOUND when no one knows a source
   */
  static SearchResult everyone(
      ApiClient api,
      ExecutorService pool,
      Directory directory,
      Sha256 sha256,
      List<String> others,
      int budgetMillis) {
    List<CompletableFuture<SearchResult>> asked = new ArrayList<>(others.size());
    for (String url : others) {
      ApiClient there = api.at(URI.create(url));
      asked.add(CompletableFuture.supplyAsync(() -> there.locate(sha256), pool));
    }
    List<List<SearchResult>> answers = new ArrayList<>(1 + others.size());
    try {
      answers.add(List.of(directory.locate(sha256)));
    } catch (DirectoryException e) {
      if (e.reason() != DirectoryException.Reason.NOT_FOUND) {
        throw e;
      }
      answers.add(null);
    }
    long deadline = System.nanoTime() + budgetMillis * 1_000_000L;
    for (CompletableFuture<SearchResult> answer : asked) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        answers.add(directory.rated(List.of(answer.get(left, TimeUnit.NANOSECONDS))));
      } catch (ExecutionException | TimeoutException e) {
        answer.cancel(true);
        answers.add(null); // 404 there, or no answer in time
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        answers.add(null);
      }
    }
    List<SearchResult> merged = ResultMerge.merge(answers, 1);
    if (merged.isEmpty()) {
      throw new DirectoryException(
          DirectoryException.Reason.NOT_FOUND, "no online peer shares " + sha256);
    }
    return merged.get(0);
  }
}
