package dev.enroll.observe;

import dev.enroll.enrollment.QueueMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** {@code enroll_queue_depth{queue}}: how many requests wait, by queue. */
public final class MicrometerQueueMetrics implements QueueMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> depths = new ConcurrentHashMap<>();

  /**
   * Metrics in a registry.
   *
   * @param registry the registry
   */
  public MicrometerQueueMetrics(MeterRegistry registry) {
    this.registry = registry;
    depth("issuance", 0);
  }

  @Override
  public void depth(String queue, long depth) {
    depths.computeIfAbsent(queue, name -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder("enroll_queue_depth", value, AtomicLong::get)
          .description("Requests waiting, by queue")
          .tag("queue", name)
          .register(registry);
      return value;
    }).set(depth);
  }
}
