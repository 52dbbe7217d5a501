package dev.swarmdex.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A Metalink 4 document (RFC 5854) for one content: its name, size and whole-file SHA-256, the
 * SHA-256 of each 1 MiB piece when the {@link HashTree} is known, and the URL of every source, so
 * that {@code aria2c URL.meta4} fetches from all of them at once and checks each piece.
 *
 * <pre>{@code
 * byte[] xml = new Metalink(result.name(), result.size(), result.sha256(), tree, urls).xml();
 * }</pre>
 *
 * @param tree the piece digests, or null when no verified list is at hand (then only the whole file
 *     is checked)
 * @param urls the sources' download URLs, best first (at least one)
 */
public record Metalink(String name, long size, Sha256 sha256, HashTree tree, List<String> urls) {
  /** The media type RFC 5854 registers. */
  public static final String MEDIA_TYPE = "application/metalink4+xml";

  public Metalink {
    Require.text("name", name, Limits.MAX_FILE_NAME);
    Require.present("sha256", sha256);
    urls = List.copyOf(Require.present("urls", urls));
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("a Metalink needs at least one URL");
    }
    if (tree != null && tree.size() != size) {
      throw new IllegalArgumentException("the hash tree is of another size");
    }
  }

  /**
   * The name a client saves under: the published name, unless it is "." or "..", which RFC 5854
   * forbids as a path segment (a name holds no slash); then the content id.
   */
  public String fileName() {
    return name.equals(".") || name.equals("..") ? sha256.hex() : name;
  }

  /** The document as UTF-8 XML. */
  public byte[] xml() {
    StringBuilder xml =
        new StringBuilder(256 + urls.size() * 96 + (tree == null ? 0 : tree.chunkCount() * 80));
    xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">\n")
        .append("  <generator>Swarmdex</generator>\n")
        .append("  <file name=\"")
        .append(escape(fileName()))
        .append("\">\n")
        .append("    <size>")
        .append(size)
        .append("</size>\n")
        .append("    <hash type=\"sha-256\">")
        .append(sha256.hex())
        .append("</hash>\n");
    if (tree != null && tree.chunkCount() > 0) {
      xml.append("    <pieces length=\"")
          .append(HashTree.CHUNK_SIZE)
          .append("\" type=\"sha-256\">\n");
      for (Sha256 piece : tree.chunks()) {
        xml.append("      <hash>").append(piece.hex()).append("</hash>\n");
      }
      xml.append("    </pieces>\n");
    }
    for (int i = 0; i < urls.size(); i++) {
      // RFC 5854 4.2.16: priority 1 is the most preferred; sources come best first.
      xml.append("    <url priority=\"")
          .append(Math.min(i + 1, 999_999))
          .append("\">")
          .append(escape(urls.get(i)))
          .append("</url>\n");
    }
    xml.append("  </file>\n</metalink>\n");
    return xml.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Text as XML character data: markup escaped, and characters XML 1.0 cannot hold replaced. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1))) {
            out.append(c).append(text.charAt(++i));
          } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r')
              || Character.isSurrogate(c)
              || c == 0xFFFE
              || c == 0xFFFF) {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
