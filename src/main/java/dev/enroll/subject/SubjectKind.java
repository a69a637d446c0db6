package dev.enroll.subject;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What is enrolled. */
public enum SubjectKind {
  USER,
  DEVICE,
  WORKLOAD,
  SERVICE;

  /** The lower-case name used in JSON, configuration and the store. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @param text such as {@code device}
   * @return the kind, or null when the text names none
   */
  public static SubjectKind parse(String text) {
    for (SubjectKind kind : values()) {
      if (kind.wireName().equals(text)) {
        return kind;
      }
    }
    return null;
  }
}
