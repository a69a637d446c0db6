package dev.enroll.problem;

/**
 * Client text made fit to show in a problem's detail, a log field or an audit column:
 * printable ASCII only (anything else becomes {@code ?}), and no longer than its place.
 */
public final class Printable {
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
