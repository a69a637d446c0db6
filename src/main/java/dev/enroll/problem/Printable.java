package dev.enroll.problem;

/**
 * Client text made fit to show in a problem's detail, a log field or an audit column:
 * printable ASCII only (anything else becomes {@code ?}), and no longer than its place.
 * A whole problem detail, as sent, goes through {@link #detail(String)}, which keeps the
 * letters of every script.
 */
public final class Printable {
  /** The longest problem detail sent, in characters. */
  public static final int DETAIL_MAX = 1024;

  private Printable() {}

  /**
   * The text cut to at most {@code max} characters.
   *
   * @param text the client's text
   * @param max the most characters kept
   * @return printable ASCII
   */
  public static String cut(String text, int max) {
    char[] kept = text.substring(0, Math.min(text.length(), max)).toCharArray();
    for (int i = 0; i < kept.length; i++) {
      if (kept[i] < 0x20 || kept[i] > 0x7e) {
        kept[i] = '?';
      }
    }
    return new String(kept);
  }

  /**
   * A problem's detail fit to send, whatever client text it quotes: letters of any script
   * stay, but control characters and those that reorder or hide text (bidirectional
   * overrides, zero-width marks) become {@code ?}, and it is cut at {@link #DETAIL_MAX}.
   *
   * @param detail the detail as written
   * @return the detail to send
   */
  public static String detail(String detail) {
    if (detail == null) {
      return null;
    }
    StringBuilder kept = new StringBuilder(Math.min(detail.length(), DETAIL_MAX + 3));
    detail.codePoints().limit(DETAIL_MAX)
        .forEach(c -> kept.appendCodePoint(hides(c) ? '?' : c));
    boolean cutShort = detail.codePointCount(0, detail.length()) > DETAIL_MAX;
    return cutShort ? kept.append("...").toString() : kept.toString();
  }

  /**
   * Whether a character is one that controls, reorders or hides text rather than showing
   * itself: a control character, or a format one (bidirectional overrides, zero-width marks).
   *
   * @param codePoint the character
   * @return true when it should not be shown as it is
   */
  public static boolean hides(int codePoint) {
    return Character.isISOControl(codePoint) || Character.getType(codePoint) == Character.FORMAT;
  }

  /**
   * The text cut like {@link #cut(String, int)}, with {@code ...} where it was cut.
   *
   * @param text the client's text
   * @param max the most characters kept
   * @return printable ASCII
   */
  public static String shown(String text, int max) {
    return text.length() > max ? cut(text, max) + "..." : cut(text, max);
  }
}
