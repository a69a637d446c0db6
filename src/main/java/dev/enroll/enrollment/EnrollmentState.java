package dev.enroll.enrollment;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an enrollment request is. */
public enum EnrollmentState {
  RECEIVED,
  /** Accepted; waiting for the signer. */
  PENDING,
  /** Accepted; waiting for a person's approval. */
  AWAITING_APPROVAL,
  COMPLETED,
  /** An admin denied it. */
  DENIED,
  /** Nobody approved it in time. */
  EXPIRED,
  FAILED;

  /** The lower-case name used in JSON and the store. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
