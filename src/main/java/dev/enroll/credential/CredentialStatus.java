package dev.enroll.credential;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a credential is in its life. */
public enum CredentialStatus {
  ACTIVE,
  REVOKED,
  EXPIRED,
  SUPERSEDED,
  /** Suspended while its subject is quarantined: revoked with reason certificateHold. */
  ON_HOLD;

  /** The lower-case name used in JSON and the store. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses a wire name.
   *
   * @param text such as {@code active}
   * @return the status
   * @throws IllegalArgumentException if the text names none
   */
  public static CredentialStatus parse(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
