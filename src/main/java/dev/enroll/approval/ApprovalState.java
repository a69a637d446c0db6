package dev.enroll.approval;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an approval request is. */
public enum ApprovalState {
  /** Waiting for a decision. */
  PENDING,
  /** Approved; the enrollment went on to the signer. */
  APPROVED,
  /** Denied by an admin. */
  DENIED,
  /** Nobody decided in time. */
  EXPIRED;

  /** The lower-case name used in JSON and the store. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @param text such as {@code pending}
   * @return the state, or null when the text names none
   */
  public static ApprovalState parse(String text) {
    for (ApprovalState state : values()) {
      if (state.wireName().equals(text)) {
        return state;
      }
    }
    return null;
  }
}
