package dev.enroll.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.enroll.config.ConfigException;
import dev.enroll.config.ProfileConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfilePolicyTest {
  private static final Duration MAX = Duration.ofHours(24);

  private static ProfilePolicy compile(ProfileConfig.PolicyConfig policy) {
    return ProfilePolicy.compile("tenants.t.profiles.p", new ProfileConfig(null, null, null,
        null, null, null, null, null, null, null, policy, null, null), MAX);
  }

  private static ProfileConfig.PolicyConfig rules(ProfileConfig.RuleConfig... rules) {
    return new ProfileConfig.PolicyConfig(List.of(rules), null, null, null, null);
  }

  private static PolicyDecision decide(ProfilePolicy policy, Map<String, Object> claims) {
    return policy.decide(PolicyInput.of(claims, "workload", "w-1", Map.of(), "t", "p", "jwt",
        "127.0.0.1", Instant.parse("2026-12-01T00:00:00Z")));
  }

  @Test
  void expressionThatDoesNotCompileNamesTheFieldAndThePosition() {
    assertThatThrownBy(() -> compile(rules(new ProfileConfig.RuleConfig(null,
        "claims.ns == 'a' &&", null))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("tenants.t.profiles.p.policy.rules[0].deny: does not compile"
            + " at line 1, column 20");
  }

  @Test
  void expressionOfTheWrongTypeIsRefusedAtLoad() {
    assertThatThrownBy(() -> compile(new ProfileConfig.PolicyConfig(null, null, null,
        "'1h'", null)))
        .hasMessageStartingWith("tenants.t.profiles.p.policy.validity: gives a string;"
            + " it must give a duration");
  }

  @Test
  void ruleWithBothAllowAndDenyIsRefused() {
    assertThatThrownBy(() -> compile(rules(new ProfileConfig.RuleConfig("true", "false",
        null)))).hasMessageContaining("rules[0]: a rule has either allow or deny");
  }

  @Test
  void denyWinsOverAnAllowThatAlsoHolds() {
    ProfilePolicy policy = compile(rules(
        new ProfileConfig.RuleConfig("true", null, null),
        new ProfileConfig.RuleConfig(null, "claims.ns == 'x'", "x is out")));

    PolicyDecision decision = decide(policy, Map.of("ns", "x"));

    assertThat(decision.outcome()).isEqualTo(PolicyDecision.Outcome.DENY);
    assertThat(decision.reason()).isEqualTo("x is out");
  }

  @Test
  void allowRulesMustHaveOneThatHolds() {
    ProfilePolicy policy = compile(rules(new ProfileConfig.RuleConfig("claims.ns == 'a'",
        null, null)));

    assertThat(decide(policy, Map.of("ns", "a")).outcome())
        .isEqualTo(PolicyDecision.Outcome.ALLOW);
    assertThat(decide(policy, Map.of("ns", "b")).outcome())
        .isEqualTo(PolicyDecision.Outcome.DENY);
  }

  @Test
  void missingClaimFailsClosed() {
    ProfilePolicy policy = compile(rules(new ProfileConfig.RuleConfig("claims.ns == 'a'",
        null, null)));

    PolicyDecision decision = decide(policy, Map.of());

    assertThat(decision.outcome()).isEqualTo(PolicyDecision.Outcome.ERROR);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).contains("rules[0].allow failed");
  }

  @Test
  void dynamicValueOfTheWrongShapeFailsClosed() {
    ProfilePolicy policy = compile(new ProfileConfig.PolicyConfig(null, "claims.roles", null,
        null, null));

    assertThat(decide(policy, Map.of("roles", "admin")).outcome())
        .isEqualTo(PolicyDecision.Outcome.ERROR);
    assertThat(decide(policy, Map.of("roles", List.of("a", 1L))).outcome())
        .isEqualTo(PolicyDecision.Outcome.ERROR);
    assertThat(decide(policy, Map.of("roles", List.of("a", "b"))).roles())
        .containsExactly("a", "b");
  }

  @Test
  void lifetimeIsCappedAtTheProfilesValidity() {
    ProfilePolicy policy = compile(new ProfileConfig.PolicyConfig(null, null, null,
        "duration('48h')", null));

    assertThat(decide(policy, Map.of()).validity()).isEqualTo(MAX);
  }

  @Test
  void policySeesTheTimeAndTheSubject() {
    ProfilePolicy policy = compile(rules(new ProfileConfig.RuleConfig(
        "now < timestamp('2027-01-01T00:00:00Z') && subject.externalId == 'w-1'"
            + " && request.method == 'jwt'", null, null)));

    assertThat(decide(policy, Map.of()).outcome()).isEqualTo(PolicyDecision.Outcome.ALLOW);
  }

  @Test
  void approvalExpressionRoutesToApproval() {
    ProfilePolicy policy = compile(new ProfileConfig.PolicyConfig(null, null, null, null,
        "claims.ns == 'prod'"));

    assertThat(decide(policy, Map.of("ns", "prod")).outcome())
        .isEqualTo(PolicyDecision.Outcome.APPROVAL);
    assertThat(decide(policy, Map.of("ns", "dev")).outcome())
        .isEqualTo(PolicyDecision.Outcome.ALLOW);
  }

  @Test
  void standardMacrosLetAPolicyAskWhetherAClaimIsThere() {
    ProfilePolicy policy = compile(rules(new ProfileConfig.RuleConfig(
        "has(claims.ns) && claims.groups.exists(g, g == 'ops')", null, null)));

    assertThat(decide(policy, Map.of("ns", "a", "groups", List.of("dev", "ops"))).outcome())
        .isEqualTo(PolicyDecision.Outcome.ALLOW);
    assertThat(decide(policy, Map.of("groups", List.of("ops"))).outcome())
        .isEqualTo(PolicyDecision.Outcome.DENY);
  }

  @Test
  void comprehensionOverAHugeListIsBoundedAndFailsClosed() {
    ProfilePolicy policy = compile(rules(new ProfileConfig.RuleConfig(
        "claims.items.all(x, x > 0)", null, null)));
    List<Long> items = new java.util.ArrayList<>();
    for (long i = 1; i <= 20_000; i++) {
      items.add(i);
    }

    assertThat(decide(policy, Map.of("items", items)).outcome())
        .isEqualTo(PolicyDecision.Outcome.ERROR);
  }
}
