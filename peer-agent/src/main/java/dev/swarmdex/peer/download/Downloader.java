package dev.swarmdex.peer.download;

import dev.swarmdex.protocol.ApiClient;
import dev.swarmdex.protocol.SearchResult;
import dev.swarmdex.protocol.Sha256;
import dev.swarmdex.protocol.Source;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one content from the peers that share it. Bytes stream into {@code OUT.part} beside the
 * output file; an existing {@code .part} is resumed with {@code Range: bytes=N-}. A source that
 * fails (refused, error status, short body, stall) hands over to the next, which resumes from what
 * arrived; a file whose SHA-256 does not match is thrown away. The finished, verified file is moved
 * atomically to its place.
 *
 * <pre>{@code
 * try (Downloader downloader = Downloader.create(null)) {
 *   Path file = downloader.fetch(api.locate(sha), Path.of("debian.iso"));
 * }
 * }</pre>
 */
public final class Downloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);
  private static final int BUFFER_BYTES = 256 * 1024;
  private static final long HEADERS_TIMEOUT_SECONDS = 30;
  private static final long STALL_TIMEOUT_MILLIS = 30_000;

  private final HttpClient http;
  private final boolean ownsHttp;

  private Downloader(HttpClient http, boolean ownsHttp) {
    this.http = http;
    this.ownsHttp = ownsHttp;
  }

  /**
   * A downloader with its own HTTP client, its connections bound to {@code bindAddress} when that
   * is not null.
   */
  public static Downloader create(InetAddress bindAddress) {
    HttpClient http = new HttpClient();
    if (bindAddress != null) {
      http.setBindAddress(new InetSocketAddress(bindAddress, 0));
    }
    http.setConnectTimeout(10_000);
    http.setIdleTimeout(STALL_TIMEOUT_MILLIS);
    http.setFollowRedirects(false);
    // Bytes on disk must be the bytes served: no transparent gzip decoding.
    http.getContentDecoderFactories().clear();
    try {
      http.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start HTTP client", e);
    }
    return new Downloader(http, true);
  }

  /** A downloader using an already started {@code http} client that it does not own. */
  public static Downloader using(HttpClient http) {
    return new Downloader(Objects.requireNonNull(http, "http"), false);
  }

  /** Asks {@code api} where {@code sha256} is shared now, then fetches it to {@code out}. */
  public Path fetch(ApiClient api, Sha256 sha256, Path out) throws IOException {
    return fetch(api.locate(sha256), out);
  }

  /** Fetches a located content from its sources to {@code out}. */
  public Path fetch(SearchResult located, Path out) throws IOException {
    return fetch(located.sha256(), located.size(), located.sources(), out);
  }

  /**
   * Fetches the {@code size} bytes of {@code sha256} to {@code out}, trying {@code sources} in turn
   * (reachable ones first), and returns {@code out}.
   *
   * @throws DownloadException when every source failed, naming each failure
   */
  public Path fetch(Sha256 sha256, long size, List<Source> sources, Path out) throws IOException {
    Path target = out.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path part = target.resolveSibling(target.getFileName() + ".part");
    List<Source> ordered = new ArrayList<>(sources);
    ordered.sort(Comparator.comparing(Source::firewalled));
    List<String> failures = new ArrayList<>();
    for (Source source : ordered) {
      try {
        fromSource(source, sha256, size, part, target.getFileName().toString());
        move(part, target);
        LOG.info("downloaded {} ({} bytes) from {} to {}", sha256, size, source.url(), target);
        return target;
      } catch (SourceFailure | IOException e) {
        String reason = source.url() + ": " + e.getMessage();
        LOG.warn("source failed: {}", reason);
        failures.add(reason);
      }
    }
    throw new DownloadException(
        failures.isEmpty()
            ? "no source shares " + sha256
            : "all " + failures.size() + " sources of " + sha256 + " failed",
        failures);
  }

  /** Fills {@code part} from one source until it holds the verified content. */
  private void fromSource(Source source, Sha256 sha256, long size, Path part, String label)
      throws IOException, SourceFailure {
    long resumedFrom = Files.exists(part) ? Files.size(part) : 0;
    if (resumedFrom > size) {
      Files.delete(part);
      resumedFrom = 0;
    }
    try {
      transfer(source, sha256, size, part, label);
    } catch (HashMismatch e) {
      Files.deleteIfExists(part);
      if (resumedFrom == 0) {
        throw e;
      }
      LOG.info("resumed part of {} was bad; fetching all of it from {}", sha256, source.url());
      transfer(source, sha256, size, part, label);
    }
  }

  private void transfer(Source source, Sha256 sha256, long size, Path part, String label)
      throws IOException, SourceFailure {
    MessageDigest digest = newDigest();
    if (!Files.exists(part)) {
      Files.createFile(part); // an empty file is complete as soon as it exists
    }
    long have = Files.size(part);
    if (have > 0) {
      digestPrefix(part, have, digest);
    }
    if (have == size) {
      verify(digest, sha256);
      return;
    }
    Request request =
        http.newRequest(source.url())
            .method(HttpMethod.GET)
            .idleTimeout(STALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    long from = have;
    if (from > 0) {
      request.headers(h -> h.put(HttpHeader.RANGE, "bytes=" + from + "-"));
    }
    InputStreamResponseListener listener = new InputStreamResponseListener();
    request.send(listener);
    try (listener) {
      Response response = awaitHeaders(listener);
      int status = response.getStatus();
      if (have > 0 && status == HttpStatus.PARTIAL_CONTENT_206) {
        String range = response.getHeaders().get(HttpHeader.CONTENT_RANGE);
        if (range == null || !range.startsWith("bytes " + have + "-")) {
          throw new SourceFailure("answered Range bytes=" + have + "- with Content-Range " + range);
        }
      } else if (status == HttpStatus.OK_200) {
        if (have > 0) {
          LOG.info("{} ignored our Range request; starting over", source.url());
        }
        have = 0;
        digest.reset();
      } else {
        throw new SourceFailure("HTTP " + status);
      }
      LOG.debug("receiving {} from {} starting at byte {}", sha256, source.url(), have);
      have = receive(listener.getInputStream(), part, have, size, digest, label);
    }
    if (have < size) {
      throw new SourceFailure("short body: got " + have + " of " + size + " bytes");
    }
    verify(digest, sha256);
  }

  private static Response awaitHeaders(InputStreamResponseListener listener)
      throws IOException, SourceFailure {
    try {
      return listener.get(HEADERS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (TimeoutException e) {
      throw new SourceFailure("no answer within " + HEADERS_TIMEOUT_SECONDS + " s");
    } catch (ExecutionException e) {
      throw new SourceFailure(rootMessage(e));
    }
  }

  /** Streams the body into {@code part} from byte {@code have}; returns how many bytes it holds. */
  private static long receive(
      InputStream in, Path part, long have, long size, MessageDigest digest, String label)
      throws SourceFailure, IOException {
    DownloadProgress progress = DownloadProgress.forConsole(label, size, have);
    byte[] buffer = new byte[BUFFER_BYTES];
    try (FileChannel channel =
        FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.truncate(have);
      channel.position(have);
      while (true) {
        int n;
        try {
          n = in.read(buffer);
        } catch (IOException e) {
          channel.force(false);
          throw new SourceFailure(
              "transfer broke after " + have + " of " + size + " bytes: " + rootMessage(e));
        }
        if (n < 0) {
          break;
        }
        if (have + n > size) {
          throw new SourceFailure("sent more than the " + size + " bytes announced");
        }
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
          channel.write(chunk);
        }
        digest.update(buffer, 0, n);
        have += n;
        progress.update(have);
      }
      channel.force(false);
    } finally {
      progress.finish();
    }
    return have;
  }

  private static void digestPrefix(Path part, long length, MessageDigest digest)
      throws IOException {
    byte[] buffer = new byte[BUFFER_BYTES];
    long left = length;
    try (InputStream in = Files.newInputStream(part)) {
      int n;
      while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
        digest.update(buffer, 0, n);
        left -= n;
      }
    }
  }

  private static void verify(MessageDigest digest, Sha256 expected) throws HashMismatch {
    Sha256 actual = Sha256.ofDigest(digest.digest());
    if (!actual.equals(expected)) {
      throw new HashMismatch("content does not match its sha256 (got " + actual + ")");
    }
  }

  private static void move(Path part, Path target) throws IOException {
    try {
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message != null ? message : root.getClass().getSimpleName();
  }

  @Override
  public void close() {
    if (ownsHttp) {
      try {
        http.stop();
      } catch (Exception e) {
        LOG.warn("cannot stop HTTP client cleanly: {}", e.toString());
      }
    }
  }

  /** One source could not deliver; the next one may. */
  private static class SourceFailure extends Exception {
    private static final long serialVersionUID = 1L;

    SourceFailure(String message) {
      super(message);
    }
  }

  /** The bytes arrived but are not the content asked for. */
  private static final class HashMismatch extends SourceFailure {
    private static final long serialVersionUID = 1L;

    HashMismatch(String message) {
      super(message);
    }
  }
}
