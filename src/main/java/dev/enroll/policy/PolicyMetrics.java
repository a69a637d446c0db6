package dev.enroll.policy;

/** Where policy decisions are counted. */
public interface PolicyMetrics {
  /**
   * Counts one decision.
   *
   * @param tenant the tenant
   * @param profile the profile
   * @param outcome what was decided
   */
  void decided(String tenant, String profile, PolicyDecision.Outcome outcome);

  /** Counts nothing. */
  PolicyMetrics NONE = (tenant, profile, outcome) -> { };
}
