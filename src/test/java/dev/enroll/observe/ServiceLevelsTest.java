package dev.enroll.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.enroll.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceLevelsTest {
  private final MutableClock clock = new MutableClock();
  private final ServiceLevels levels = new ServiceLevels(Duration.ofDays(30), 0.99,
      Duration.ofSeconds(1), clock);

  private void record(String outcome, long millis, int times) {
    for (int i = 0; i < times; i++) {
      levels.enrollment("t", "p", outcome, "none", Duration.ofMillis(millis));
    }
  }

  private ServiceLevels.Level level() {
    return levels.report(null).profiles().get(0);
  }

  @Test
  void failuresSpendTheErrorBudgetAndRefusalsDoNot() {
    record("issued", 20, 990);
    record("failed", 5, 5);
    record("refused", 5, 500);

    ServiceLevels.Level level = level();

    assertThat(level.succeeded()).isEqualTo(990);
    assertThat(level.failed()).isEqualTo(5);
    assertThat(level.refused()).isEqualTo(500);
    assertThat(level.successRate()).isCloseTo(990.0 / 995, within(1e-9));
    // 1% of 995 may fail: 9.95; 5 did, so about half the budget is left.
    assertThat(level.errorBudgetRemaining()).isCloseTo(1 - 5 / 9.95, within(1e-9));
  }

  @Test
  void overspentBudgetGoesNegative() {
    record("issued", 20, 90);
    record("failed", 5, 10);

    assertThat(level().errorBudgetRemaining()).isLessThan(0);
  }

  @Test
  void percentilesComeFromTheHistogram() {
    record("issued", 20, 50);
    record("issued", 400, 50);

    ServiceLevels.Level level = level();

    assertThat(level.p50Seconds()).isBetween(0.01, 0.025);
    assertThat(level.p95Seconds()).isBetween(0.25, 0.5);
    assertThat(level.latencyWithinTarget()).isEqualTo(1.0);
  }

  @Test
  void enrollmentsOlderThanTheWindowDropOut() {
    record("failed", 5, 3);
    clock.advance(Duration.ofDays(31));
    record("issued", 20, 10);

    ServiceLevels.Level level = level();

    assertThat(level.failed()).isZero();
    assertThat(level.succeeded()).isEqualTo(10);
    assertThat(level.errorBudgetRemaining()).isEqualTo(1.0);
  }

  @Test
  void quietProfileHasItsWholeBudget() {
    record("refused", 5, 3);

    ServiceLevels.Level level = level();

    assertThat(level.successRate()).isEqualTo(1.0);
    assertThat(level.errorBudgetRemaining()).isEqualTo(1.0);
    assertThat(level.p50Seconds()).isNull();
  }
}
