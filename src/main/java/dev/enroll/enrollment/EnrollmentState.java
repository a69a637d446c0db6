package dev.enroll.enrollment;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an enrollment request is. */
public enum EnrollmentState {
  RECEIVED,
  PENDING,
  COMPLETED,
  DENIED,
  FAILED;

  /** The lower-case name used in JSON and the store. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
