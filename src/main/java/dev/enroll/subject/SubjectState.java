package dev.enroll.subject;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a subject is in its life. */
public enum SubjectState {
  /** Enrolled; its credentials are accepted. */
  ACTIVE,
  /** Its credentials are refused until an admin reinstates or revokes it. */
  QUARANTINED,
  /** All its credentials are revoked. */
  REVOKED,
  /** Removed for good; kept for the retention period, then purged. */
  OFFBOARDED;

  /** The lower-case name used in JSON and the store. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @param text such as {@code active}
   * @return the state, or null when the text names none
   */
  public static SubjectState parse(String text) {
    for (SubjectState state : values()) {
      if (state.wireName().equals(text)) {
        return state;
      }
    }
    return null;
  }
}
