package dev.enroll.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a policy decided.
 *
 * @param outcome allow, approval, deny or error
 * @param reason why it denied or failed (null when allowed)
 * @param roles the roles the subject gets
 * @param names the certificate's names by type ({@code dns}, {@code uri}, {@code email},
 *     {@code ip}), only for the types the policy decides
 * @param validity the certificate's lifetime, or null for the profile's
 */
public record PolicyDecision(
    Outcome outcome,
    String reason,
    List<String> roles,
    Map<String, List<String>> names,
    Duration validity) {

  /** Copies the collections so the record stays immutable. */
  public PolicyDecision {
    roles = List.copyOf(roles);
    names = Map.copyOf(names);
  }

  /** The kinds of decision, as {@code enroll_policy_decisions_total} labels them. */
  public enum Outcome {
    /** Enroll now. */
    ALLOW,
    /** Enroll once a person approves. */
    APPROVAL,
    /** Refused by a rule. */
    DENY,
    /** An expression failed to run; refused (fail closed). */
    ERROR;

    /** The lower-case name used in metrics and case files. */
    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Whether the subject may enroll (now or after approval). */
  public boolean allowed() {
    return outcome == Outcome.ALLOW || outcome == Outcome.APPROVAL;
  }

  static PolicyDecision refused(Outcome outcome, String reason) {
    return new PolicyDecision(outcome, reason, List.of(), Map.of(), null);
  }
}
