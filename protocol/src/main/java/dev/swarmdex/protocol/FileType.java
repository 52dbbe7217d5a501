package dev.swarmdex.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The kind of a file, told from its extension, as the search filters name it. */
public enum FileType {
  AUDIO("mp3", "ogg", "oga", "opus", "flac", "wav", "aac", "m4a", "wma", "mid", "midi", "aiff"),
  VIDEO("mp4", "mkv", "avi", "mov", "wmv", "webm", "mpg", "mpeg", "m4v", "flv", "ogv", "3gp"),
  IMAGE("jpg", "jpeg", "png", "gif", "bmp", "svg", "svgz", "webp", "tif", "tiff", "ico", "xpm"),
  DOCUMENT(
      "txt", "pdf", "doc", "docx", "odt", "rtf", "md", "html", "htm", "epub", "ps", "tex", "ods",
      "xls", "xlsx", "ppt", "pptx", "odp", "csv", "info", "man", "rst", "xml", "json"),
  ARCHIVE("zip", "rar", "7z", "tar", "gz", "tgz", "bz2", "xz", "zst", "lz4", "lzma", "cab", "iso"),
  SOFTWARE(
      "exe",
      "msi",
      "deb",
      "rpm",
      "apk",
      "dmg",
      "jar",
      "so",
      "dll",
      "bin",
      "sh",
      "appimage",
      "py",
      "pl"),
  OTHER;

  private static final Map<String, FileType> BY_EXTENSION = byExtension();

  private final Set<String> extensions;

  FileType(String... extensions) {
    this.extensions = Set.of(extensions);
  }

  /** The type of a file named {@code name}; {@link #OTHER} when the extension is not known. */
  public static FileType of(String name) {
    int dot = name.lastIndexOf('.');
    if (dot < 0 || dot == name.length() - 1) {
      return OTHER;
    }
    return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), OTHER);
  }

  /** Parses a filter value such as {@code audio}; throws for an unknown one. */
  @JsonCreator
  public static FileType parse(String text) {
    for (FileType type : values()) {
      if (type.label().equalsIgnoreCase(text)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "type must be one of audio, video, image, document, archive, software, other");
  }

  /** The lower-case name used on the wire and in filters. */
  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  private static Map<String, FileType> byExtension() {
    var map = new java.util.HashMap<String, FileType>();
    for (FileType type : values()) {
      for (String ext : type.extensions) {
        map.put(ext, type);
      }
    }
    return Map.copyOf(map);
  }
}
