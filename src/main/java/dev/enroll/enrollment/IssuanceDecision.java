package dev.enroll.enrollment;

import dev.enroll.policy.PolicyDecision;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the policy decided for an enrollment, kept with it while it waits for the signer or
 * for approval, so that it is issued as decided when the request was made.
 *
 * @param roles the subject's roles
 * @param names the certificate's names by type, for the types the policy decides
 * @param validitySeconds the certificate's lifetime in seconds, or null for the profile's
 */
public record IssuanceDecision(
    List<String> roles, Map<String, List<String>> names, Long validitySeconds) {

  /** Fills in empty collections. */
  public IssuanceDecision {
    roles = roles == null ? List.of() : List.copyOf(roles);
    names = names == null ? Map.of() : Map.copyOf(names);
  }

  /** Nothing decided: the profile decides. */
  public static final IssuanceDecision NONE = new IssuanceDecision(null, null, null);

  /**
   * The part of a policy decision that shapes the credential.
   *
   * @param decision the policy's decision
   * @return what to keep
   */
  public static IssuanceDecision of(PolicyDecision decision) {
    return new IssuanceDecision(decision.roles(), decision.names(),
        decision.validity() == null ? null : decision.validity().toSeconds());
  }

  /**
   * The certificate's lifetime.
   *
   * @param profileValidity the profile's
   * @return the decided lifetime, or the profile's
   */
  public Duration validity(Duration profileValidity) {
    return validitySeconds == null ? profileValidity : Duration.ofSeconds(validitySeconds);
  }
}
