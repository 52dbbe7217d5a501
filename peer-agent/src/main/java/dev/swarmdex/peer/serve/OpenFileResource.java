package dev.swarmdex.peer.serve;

import dev.swarmdex.protocol.HashTree;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.resource.Resource;

/**
 * A shared file already open, as Jetty's {@link org.eclipse.jetty.server.ResourceService} serves
 * it: every range (one, several, or the whole file) is read from the one channel opened after the
 * file was checked, never by opening its path again, so nothing swapped on the path after the check
 * is read. It has no {@link #getPath() path} for that reason. Closing it closes the channel.
 */
final class OpenFileResource extends Resource implements Content.Source.Factory, AutoCloseable {
  private final FileChannel file;
  private final Path real;
  private final long size;
  private final Instant modified;

  /**
   * @param file the open file, read without moving its position
   * @param real the real path it was opened at, for names and logs only
   * @param size its size as checked
   * @param modified its modification time as checked
   */
  OpenFileResource(FileChannel file, Path real, long size, Instant modified) {
    this.file = file;
    this.real = real;
    this.size = size;
    this.modified = modified;
  }

  @Override
  public Content.Source newContentSource(ByteBufferPool.Sized pool, long first, long length) {
    long from = Math.max(0, first);
    long count = length < 0 ? size - from : Math.min(length, size - from);
    // The view starts at the range: given an open channel and an offset, Jetty skips to the offset
    // by reading and dropping the bytes before it.
    return Content.Source.from(pool, new View(from), 0, count);
  }

  @Override
  public InputStream newInputStream() {
    return Channels.newInputStream(new View(0));
  }

  @Override
  public Path getPath() {
    return null; // read from the open channel only
  }

  @Override
  public boolean exists() {
    return true;
  }

  @Override
  public boolean isDirectory() {
    return false;
  }

  @Override
  public boolean isReadable() {
    return true;
  }

  @Override
  public long length() {
    return size;
  }

  @Override
  public Instant lastModified() {
    return modified;
  }

  @Override
  public URI getURI() {
    return real.toUri();
  }

  @Override
  public String getName() {
    return real.toString();
  }

  @Override
  public String getFileName() {
    Path name = real.getFileName();
    return name == null ? "" : name.toString();
  }

  @Override
  public Resource resolve(String subUriPath) {
    return null; // a file, not a folder
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  /**
   * The SHA-256 (hex) of {@code length} bytes from {@code first}, read positionally from the open
   * channel (its position does not move); what a ticket for one whole chunk commits to.
   */
  String digest(long first, int length) throws IOException {
    MessageDigest digest = HashTree.newDigest();
    ByteBuffer buffer = ByteBuffer.allocate(Math.min(length, 64 * 1024));
    long at = first;
    long end = first + length;
    while (at < end) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
      int read = file.read(buffer, at);
      if (read < 0) {
        throw new IOException("the file ended before byte " + end);
      }
      buffer.flip();
      digest.update(buffer);
      at += read;
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * A read-only view of the file with its own position, read by positional reads so that several
   * views (the parts of a multi-range answer) share the channel; closing a view leaves it open.
   */
  private final class View implements SeekableByteChannel {
    private long position;
    private boolean open = true;

    View(long position) {
      this.position = position;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      if (!open) {
        throw new ClosedChannelException();
      }
      int n = file.read(dst, position);
      if (n > 0) {
        position += n;
      }
      return n;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new NonWritableChannelException();
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
      position = newPosition;
      return this;
    }

    @Override
    public long size() throws IOException {
      return file.size();
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
      throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
      return open && file.isOpen();
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
