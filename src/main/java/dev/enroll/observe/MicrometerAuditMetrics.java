package dev.enroll.observe;

import dev.enroll.audit.AuditMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Audit chain metrics: {@code enroll_audit_events_total} (events chained),
 * {@code enroll_audit_unchained_events} (committed, waiting for the chainer) and
 * {@code enroll_audit_checkpoints_total}.
 */
public final class MicrometerAuditMetrics implements AuditMetrics {
  private final Counter events;
  private final Counter checkpoints;
  private final AtomicLong unchained = new AtomicLong();

  /**
   * Metrics in a registry.
   *
   * @param registry the registry
   */
  public MicrometerAuditMetrics(MeterRegistry registry) {
    events = Counter.builder("enroll_audit_events")
        .description("Audit events placed in the hash chain").register(registry);
    checkpoints = Counter.builder("enroll_audit_checkpoints")
        .description("Signed audit checkpoints").register(registry);
    Gauge.builder("enroll_audit_unchained_events", unchained, AtomicLong::get)
        .description("Committed audit events not yet chained").register(registry);
  }

  @Override
  public void chained(int count) {
    events.increment(count);
  }

  @Override
  public void unchained(long count) {
    unchained.set(count);
  }

  @Override
  public void checkpointed() {
    checkpoints.increment();
  }
}
