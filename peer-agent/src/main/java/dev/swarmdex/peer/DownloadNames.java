package dev.swarmdex.peer;

/**
 * File names for downloads saved into the shared folder: the published name is another peer's text,
 * so only its last path segment is kept, with characters that are unsafe in file names on common
 * systems replaced, and never a hidden name (the scanner would not share it).
 */
final class DownloadNames {
  /** Longest name kept, in characters; leaves room for a " (NNN)" number and ".part". */
  static final int MAX_CHARS = 200;

  private DownloadNames() {}

  /** A safe file name for a file published as {@code published}. */
  static String safe(String published) {
    String name = published == null ? "" : published;
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    name = name.substring(slash + 1);
    StringBuilder safe = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean unsafe = Character.isISOControl(c) || "<>:\"|?*".indexOf(c) >= 0;
      safe.append(unsafe ? '_' : c);
    }
    String text = safe.toString().strip();
    while (text.startsWith(".")) {
      text = text.substring(1);
    }
    if (text.endsWith(".part")) {
      text = text + "_";
    }
    if (text.length() > MAX_CHARS) {
      int dot = text.lastIndexOf('.');
      String extension = dot > 0 && text.length() - dot <= 16 ? text.substring(dot) : "";
      text = text.substring(0, MAX_CHARS - extension.length()) + extension;
    }
    return text.isEmpty() ? "download" : text;
  }

  /** {@code name} for n = 1; else {@code "base (n).ext"}. */
  static String numbered(String name, int n) {
    if (n <= 1) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    return dot > 0
        ? name.substring(0, dot) + " (" + n + ")" + name.substring(dot)
        : name + " (" + n + ")";
  }
}
