package dev.enroll.observe;

import dev.enroll.enrollment.EnrollmentMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Enrollment metrics in Micrometer:
 * {@code enroll_enrollments_total{tenant,profile,outcome,reason}},
 * {@code enroll_enrollment_duration_seconds{tenant,profile,path}} (histogram, path
 * {@code automated}, {@code renewal}, {@code queued} or {@code approval}),
 * {@code enroll_renewals_total{tenant,profile,outcome,reason}} and
 * {@code enroll_duplicate_requests_total{kind}}.
 */
public final class MicrometerEnrollmentMetrics implements EnrollmentMetrics {
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(1),
    Duration.ofHours(6), Duration.ofHours(24), Duration.ofHours(72)
  };

  private final MeterRegistry registry;

  /**
   * Metrics in a registry.
   *
   * @param registry the registry
   */
  public MicrometerEnrollmentMetrics(MeterRegistry registry) {
    this.registry = registry;
    // Present from the start, so that rates over them are zero rather than absent.
    for (String kind : new String[] {"replayed", "conflict", "in_progress"}) {
      duplicates(kind);
    }
  }

  private Counter duplicates(String kind) {
    return Counter.builder("enroll_duplicate_requests")
        .description("Requests that repeated an idempotency key")
        .tag("kind", kind)
        .register(registry);
  }

  @Override
  public void enrollment(String tenant, String profile, String outcome, String reason,
      Duration elapsed) {
    Counter.builder("enroll_enrollments")
        .description("Enrollment requests by outcome and reason")
        .tag("tenant", tenant)
        .tag("profile", profile)
        .tag("outcome", outcome)
        .tag("reason", reason)
        .register(registry)
        .increment();
    if ("issued".equals(outcome)) {
      duration(tenant, profile, "automated", elapsed);
    }
  }

  @Override
  public void completed(String tenant, String profile, String path, Duration elapsed) {
    duration(tenant, profile, path, elapsed);
  }

  @Override
  public void renewal(String tenant, String profile, String outcome, String reason,
      Duration elapsed) {
    Counter.builder("enroll_renewals")
        .description("Renewal requests by outcome and reason")
        .tag("tenant", tenant)
        .tag("profile", profile)
        .tag("outcome", outcome)
        .tag("reason", reason)
        .register(registry)
        .increment();
    if ("issued".equals(outcome)) {
      duration(tenant, profile, "renewal", elapsed);
    }
  }

  private void duration(String tenant, String profile, String path, Duration elapsed) {
    Timer.builder("enroll_enrollment_duration")
        .description("Time from receipt of an enrollment to its credential")
        .tag("tenant", tenant)
        .tag("profile", profile)
        .tag("path", path)
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(elapsed);
  }

  @Override
  public void duplicate(String kind) {
    duplicates(kind).increment();
  }
}
