package dev.swarmdex.protocol;

/**
 * The folder a shared file lies in, relative to its share: {@code /}-separated names such as {@code
 * Music/Live}, never an absolute path. Every name is a plain, visible file name: not empty, not
 * {@code .} or {@code ..}, no leading dot (hidden), no trailing dot or space, no {@code \ : * ? " <
 * > |} and no control character; at most {@value #MAX_DEPTH} names and {@value #MAX_CHARS}
 * characters in all. The share's own root has no folder (null on the wire: absent), so an entry of
 * an older peer, which names none, lies at the root.
 *
 * <pre>{@code
 * SharedFolder.check("Music/Live");      // "Music/Live"
 * SharedFolder.of("Music/Live/a.mp3");   // "Music/Live"; null for "a.mp3" or an unsafe path
 * }</pre>
 */
public final class SharedFolder {
  /** Most characters in a folder. */
  public static final int MAX_CHARS = 200;

  /** Most names in a folder. */
  public static final int MAX_DEPTH = 16;

  private static final String FORBIDDEN = "\\:*?\"<>|";

  private SharedFolder() {}

  /**
   * {@code folder} itself when it is a valid folder, null for null or an empty string (the root).
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static String check(String folder) {
    if (folder == null || folder.isEmpty()) {
      return null;
    }
    String why = problem(folder);
    if (why != null) {
      throw new IllegalArgumentException("folder " + why);
    }
    return folder;
  }

  /** Whether {@code folder} is null, empty (the root) or a valid folder. */
  public static boolean isValid(String folder) {
    return folder == null || folder.isEmpty() || problem(folder) == null;
  }

  /**
   * The folder of a file at {@code relativePath} ({@code /}-separated, below the share), or null
   * when it lies at the root or its folder cannot be published (then it is shared at the root).
   */
  public static String of(String relativePath) {
    int slash = relativePath.lastIndexOf('/');
    if (slash <= 0) {
      return null;
    }
    String folder = relativePath.substring(0, slash);
    return problem(folder) == null ? folder : null;
  }

  /** Whether {@code folder} is {@code within} itself or one of its subfolders (null = root). */
  public static boolean within(String folder, String within) {
    if (within == null || within.isEmpty()) {
      return true;
    }
    return folder != null
        && (folder.equals(within)
            || (folder.startsWith(within) && folder.charAt(within.length()) == '/'));
  }

  private static String problem(String folder) {
    if (folder.length() > MAX_CHARS) {
      return "must be at most " + MAX_CHARS + " characters";
    }
    if (folder.startsWith("/")) {
      return "must be relative (no leading /)";
    }
    String[] names = folder.split("/", -1);
    if (names.length > MAX_DEPTH) {
      return "must be at most " + MAX_DEPTH + " folders deep";
    }
    for (String name : names) {
      if (name.isEmpty()) {
        return "must not have an empty name (// or a trailing /)";
      }
      if (name.equals("..") || name.equals(".")) {
        return "must not contain . or ..";
      }
      if (name.startsWith(".")) {
        return "must not name a hidden folder";
      }
      if (name.endsWith(".") || name.endsWith(" ") || name.startsWith(" ")) {
        return "names must not start with a space or end with a dot or space";
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (Character.isISOControl(c) || FORBIDDEN.indexOf(c) >= 0) {
          return "must not contain control characters or any of " + FORBIDDEN;
        }
      }
    }
    return null;
  }
}
