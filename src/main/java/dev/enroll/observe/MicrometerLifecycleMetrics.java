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
 * (active credentials inside their profile's renewal window),
 * {@code enroll_credentials_expired_total}, {@code enroll_subjects{tenant,state}} and
 * {@code enroll_subjects_telemetry_bound{tenant}} (active subjects reporting in time).
 */
public final class MicrometerLifecycleMetrics implements LifecycleMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> due = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
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
  public void subjects(Map<String, Map<dev.enroll.subject.SubjectState, Long>> byState,
      Map<String, Long> reporting) {
    byState.forEach((tenant, states) -> {
      for (dev.enroll.subject.SubjectState state : dev.enroll.subject.SubjectState.values()) {
        gauge("enroll_subjects", "Subjects by tenant and state", tenant, "state",
            state.wireName()).set(states.getOrDefault(state, 0L));
      }
      gauge("enroll_subjects_telemetry_bound", "Active subjects reporting telemetry in time",
          tenant, null, null).set(reporting.getOrDefault(tenant, 0L));
    });
  }

  private AtomicLong gauge(String name, String description, String tenant, String key,
      String value) {
    return gauges.computeIfAbsent(name + "/" + tenant + "/" + value, k -> {
      AtomicLong holder = new AtomicLong();
      Gauge.Builder<AtomicLong> builder = Gauge.builder(name, holder, AtomicLong::get)
          .description(description).tag("tenant", tenant);
      if (key != null) {
        builder.tag(key, value);
      }
      builder.register(registry);
      return holder;
    });
  }

  @Override
  public void expired(int count) {
    expired.increment(count);
  }
}
