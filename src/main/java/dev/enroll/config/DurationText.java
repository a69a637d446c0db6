package dev.enroll.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: {@code 90s}, {@code 15m}, {@code 24h}, {@code 7d}. */
public final class DurationText {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private DurationText() {}

  /**
   * Parses a duration written as a number and a unit, or as ISO-8601 ({@code PT1H}).
   *
   * @param key the configuration key, for the error message
   * @param text the written value
   * @return the positive duration
   * @throws ConfigException if the text is not a positive duration
   */
  public static Duration parse(String key, String text) {
    Duration duration = parseOrNull(text);
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new ConfigException(key, "'" + text + "' is not a positive duration"
          + " (write it like 90s, 15m, 24h, 7d or PT1H)");
    }
    return duration;
  }

  /**
   * Parses a duration, returning null when the text is not one.
   *
   * @param text the written value; may be null
   * @return the duration, or null
   */
  public static Duration parseOrNull(String text) {
    if (text == null) {
      return null;
    }
    String trimmed = text.trim();
    Matcher m = SHORT.matcher(trimmed);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Duration.ofMillis(n);
        case "s":
          return Duration.ofSeconds(n);
        case "m":
          return Duration.ofMinutes(n);
        case "h":
          return Duration.ofHours(n);
        default:
          return Duration.ofDays(n);
      }
    }
    try {
      return Duration.parse(trimmed);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
