package dev.enroll.observe;

import dev.enroll.lifecycle.LifecycleMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lifecycle metrics in Micrometer: {@code enroll_credentials_due_for_renewal{tenant,profile}}
 * (active credentials inside their profile's renewal window) and
 * {@code enroll_credentials_expired_total}.
 */
public final class MicrometerLifecycleMetrics implements LifecycleMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> due = new ConcurrentHashMap<>();
  private final Counter expired;

  /**
   * Metrics in a registry.
   *
   * @param registry the registry
   */
  public MicrometerLifecycleMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.expired = Counter.builder("enroll_credentials_expired")
        .description("Credentials marked expired by the sweep")
        .register(registry);
  }

  @Override
  public void dueForRenewal(String tenant, String profile, long count) {
    due.computeIfAbsent(tenant + "/" + profile, key -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder("enroll_credentials_due_for_renewal", value, AtomicLong::get)
          .description("Active credentials inside their profile's renewal window")
          .tag("tenant", tenant)
          .tag("profile", profile)
          .register(registry);
      return value;
    }).set(count);
  }

  @Override
  public void expired(int count) {
    expired.increment(count);
  }
}
