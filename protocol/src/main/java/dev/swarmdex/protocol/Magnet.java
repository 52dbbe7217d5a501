package dev.swarmdex.protocol;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A link that carries a download: {@code
 * magnet:?xt=urn:sha256:HEX&dn=NAME&xl=SIZE&xs=DIRECTORY/api/v1/files/HEX.meta4}. {@code xt} (the
 * content id) is required; the name, the size and the exact source are optional. {@code xs} is the
 * content's Metalink at a directory: fetched, it lists every online source with the piece hashes,
 * and the directory it names ({@link #directory()}) is where {@code get} asks for sources. Parsing
 * is strict: any other key, a key given twice, a malformed value or an {@code xs} for another
 * content is an {@link IllegalArgumentException} that says what was wrong.
 *
 * <pre>{@code
 * Magnet link = Magnet.parse(text);
 * downloader.fetch(ApiClient.create(link.directory(), null), link.sha256(), out);
 * }</pre>
 */
public record Magnet(Sha256 sha256, String name, Long size, URI directory) {
  private static final int MAX_LENGTH = 4096;
  private static final Pattern XT = Pattern.compile("urn:sha256:[0-9a-fA-F]{64}");
  private static final String METALINK_PATH = "/api/v1/files/";

  public Magnet {
    Require.present("sha256", sha256);
    if (name != null) {
      Require.text("dn", name, Limits.MAX_FILE_NAME);
    }
    if (size != null && (size < 0 || size > Limits.MAX_FILE_SIZE)) {
      throw new IllegalArgumentException("xl must be a size from 0 to " + Limits.MAX_FILE_SIZE);
    }
    if (directory != null) {
      String scheme = directory.getScheme();
      if (!("http".equals(scheme) || "https".equals(scheme))
          || directory.getHost() == null
          || directory.getRawQuery() != null
          || directory.getRawFragment() != null
          || directory.getRawUserInfo() != null) {
        throw new IllegalArgumentException("xs must be an http:// or https:// directory address");
      }
    }
  }

  /** The magnet link of a search result found at {@code directory} (null: none named). */
  public static Magnet of(SearchResult result, URI directory) {
    return new Magnet(result.sha256(), result.name(), result.size(), directory);
  }

  /** Whether {@code text} starts like a magnet link (then {@link #parse} says what is wrong). */
  public static boolean looksLikeOne(String text) {
    return text != null && text.regionMatches(true, 0, "magnet:", 0, 7);
  }

  /** Reads a magnet link; throws {@link IllegalArgumentException} saying what is wrong. */
  public static Magnet parse(String text) {
    if (text == null || !text.startsWith("magnet:?")) {
      throw new IllegalArgumentException("a magnet link starts with 'magnet:?'");
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a magnet link is at most " + MAX_LENGTH + " characters");
    }
    Map<String, String> values = new HashMap<>();
    for (String part : text.substring(8).split("&", -1)) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("magnet: '" + part + "' is not KEY=VALUE");
      }
      String key = part.substring(0, eq);
      if (!key.equals("xt") && !key.equals("dn") && !key.equals("xl") && !key.equals("xs")) {
        throw new IllegalArgumentException(
            "magnet: unknown key '" + key + "' (Swarmdex links have xt, dn, xl and xs)");
      }
      if (values.put(key, decode(key, part.substring(eq + 1))) != null) {
        throw new IllegalArgumentException("magnet: " + key + " is given twice");
      }
    }
    String xt = values.get("xt");
    if (xt == null || !XT.matcher(xt).matches()) {
      throw new IllegalArgumentException("magnet: xt must be urn:sha256: and 64 hex digits");
    }
    Sha256 sha = Sha256.of(xt.substring("urn:sha256:".length()));
    return new Magnet(
        sha, values.get("dn"), size(values.get("xl")), directory(values.get("xs"), sha));
  }

  /** This link as text, every value percent-encoded. */
  public String text() {
    StringBuilder link = new StringBuilder("magnet:?xt=urn:sha256:").append(sha256.hex());
    if (name != null) {
      link.append("&dn=").append(encode(name));
    }
    if (size != null) {
      link.append("&xl=").append(size);
    }
    if (directory != null) {
      link.append("&xs=").append(encode(metalink().toString()));
    }
    return link.toString();
  }

  /** The content's Metalink at the link's directory, or null when it names none. */
  public URI metalink() {
    return directory == null ? null : metalinkAt(directory, sha256);
  }

  /** {@code GET DIRECTORY/api/v1/files/HEX.meta4}. */
  public static URI metalinkAt(URI directory, Sha256 sha256) {
    String base = directory.toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + METALINK_PATH + sha256.hex() + ".meta4");
  }

  @Override
  public String toString() {
    return text();
  }

  private static String decode(String key, String value) {
    try {
      // Only a name may spell a space as '+'; in the other values it is not a valid character.
      return URLDecoder.decode(
          key.equals("dn") ? value : value.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("magnet: " + key + " is not well percent-encoded");
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Long size(String xl) {
    if (xl == null) {
      return null;
    }
    if (!xl.matches("[0-9]{1,13}")) {
      throw new IllegalArgumentException("magnet: xl must be the size in bytes");
    }
    return Long.parseLong(xl);
  }

  private static URI directory(String xs, Sha256 sha) {
    if (xs == null) {
      return null;
    }
    String tail = METALINK_PATH + sha.hex() + ".meta4";
    if (!xs.toLowerCase(java.util.Locale.ROOT).endsWith(tail)) {
      throw new IllegalArgumentException(
          "magnet: xs must be a directory's Metalink of this content (..." + tail + ")");
    }
    URI base;
    try {
      base = new URI(xs.substring(0, xs.length() - tail.length()));
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("magnet: xs is not a URL: " + e.getReason());
    }
    try {
      return new Magnet(sha, null, null, base).directory();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("magnet: " + e.getMessage());
    }
  }
}
