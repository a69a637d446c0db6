package dev.enroll.observe;

import dev.enroll.anomaly.Anomalies;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Surges in Micrometer: {@code enroll_anomalies_total{tenant,profile,action}} (flagged) and
 * {@code enroll_anomalies_active} (not yet cleared).
 */
public final class MicrometerAnomalyMetrics implements Anomalies.AnomalyMetrics {
  private final MeterRegistry registry;
  private final AtomicLong active = new AtomicLong();

  /**
   * Metrics in a registry.
   *
   * @param registry the registry
   */
  public MicrometerAnomalyMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("enroll_anomalies_active", active, AtomicLong::get)
        .description("Enrollment surges flagged and not yet cleared")
        .register(registry);
  }

  @Override
  public void detected(String tenant, String profile, String action) {
    Counter.builder("enroll_anomalies")
        .description("Enrollment surges flagged, by the action that applies")
        .tag("tenant", tenant)
        .tag("profile", profile)
        .tag("action", action)
        .register(registry)
        .increment();
  }

  @Override
  public void active(long count) {
    active.set(count);
  }
}
