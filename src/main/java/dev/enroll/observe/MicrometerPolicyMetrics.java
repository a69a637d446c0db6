package dev.enroll.observe;

import dev.enroll.policy.PolicyDecision;
import dev.enroll.policy.PolicyMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Policy decisions in Micrometer: {@code enroll_policy_decisions_total{tenant,profile,
 * decision}}, decision {@code allow}, {@code approval}, {@code deny} or {@code error}. */
public final class MicrometerPolicyMetrics implements PolicyMetrics {
  private final MeterRegistry registry;

  /**
   * Metrics in a registry.
   *
   * @param registry the registry
   */
  public MicrometerPolicyMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void decided(String tenant, String profile, PolicyDecision.Outcome outcome) {
    counter(tenant, profile, outcome).increment();
  }

  /**
   * Registers every decision of a profile at zero, so that rates over them exist.
   *
   * @param tenant the tenant
   * @param profile the profile
   */
  public void register(String tenant, String profile) {
    for (PolicyDecision.Outcome outcome : PolicyDecision.Outcome.values()) {
      counter(tenant, profile, outcome);
    }
  }

  private Counter counter(String tenant, String profile, PolicyDecision.Outcome outcome) {
    return Counter.builder("enroll_policy_decisions")
        .description("Policy decisions on enrollment requests")
        .tag("tenant", tenant)
        .tag("profile", profile)
        .tag("decision", outcome.wireName())
        .register(registry);
  }
}
