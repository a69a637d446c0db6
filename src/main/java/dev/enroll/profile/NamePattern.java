package dev.enroll.profile;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A pattern a requested name must match: literal text, {@code {externalId}} for the
 * subject's external id, {@code *} for one DNS label or path segment (no {@code .}, {@code /}
 * or {@code @}), and {@code **} for any non-empty text.
 */
public final class NamePattern {
  /** The placeholder for the subject's external id. */
  public static final String EXTERNAL_ID = "{externalId}";

  private final String text;
  private final boolean ignoreCase;

  private NamePattern(String text, boolean ignoreCase) {
    this.text = text;
    this.ignoreCase = ignoreCase;
  }

  /**
   * A pattern.
   *
   * @param text the pattern as written in the profile
   * @param ignoreCase whether names compare without case (DNS names, e-mail domains)
   * @return the pattern
   */
  public static NamePattern of(String text, boolean ignoreCase) {
    return new NamePattern(text, ignoreCase);
  }

  /** The pattern as written. */
  public String text() {
    return text;
  }

  /**
   * Whether a requested name matches, with the placeholder replaced by the external id.
   *
   * @param name the requested name
   * @param externalId the subject's external id
   * @return true when the name matches the whole pattern
   */
  public boolean matches(String name, String externalId) {
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith(EXTERNAL_ID, i)) {
        regex.append(Pattern.quote(externalId));
        i += EXTERNAL_ID.length();
      } else if (text.startsWith("**", i)) {
        regex.append(".+");
        i += 2;
      } else if (text.charAt(i) == '*') {
        regex.append("[^./@]+");
        i++;
      } else {
        int next = nextToken(i);
        regex.append(Pattern.quote(text.substring(i, next)));
        i = next;
      }
    }
    int flags = ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
    String subject = ignoreCase ? name.toLowerCase(Locale.ROOT) : name;
    return Pattern.compile(regex.toString(), flags).matcher(subject).matches();
  }

  private int nextToken(int from) {
    int star = text.indexOf('*', from);
    int placeholder = text.indexOf(EXTERNAL_ID, from);
    int end = text.length();
    if (star >= 0) {
      end = Math.min(end, star);
    }
    if (placeholder >= 0) {
      end = Math.min(end, placeholder);
    }
    return end;
  }

  @Override
  public String toString() {
    return text;
  }
}
