package dev.enroll.observe;

import dev.enroll.authority.SignerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Signer metrics in Micrometer: {@code enroll_signer_duration_seconds{outcome}} (histogram),
 * {@code enroll_signer_breaker_state{state}} (1 for the current state, 0 for the others) and
 * {@code enroll_issuance_errors_total{dependency="signer",reason}}.
 */
public final class MicrometerSignerMetrics implements SignerMetrics {
  private static final List<String> STATES = List.of("closed", "open", "half_open");

  private final MeterRegistry registry;
  private final AtomicReference<String> state = new AtomicReference<>("closed");

  /**
   * Metrics in a registry.
   *
   * @param registry the registry
   */
  public MicrometerSignerMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (String name : STATES) {
      Gauge.builder("enroll_signer_breaker_state", state, s -> name.equals(s.get()) ? 1 : 0)
          .description("The signer circuit breaker's state: 1 for the current one")
          .tag("state", name)
          .register(registry);
    }
    // Present from the start, so that rates over them are zero rather than absent.
    for (String reason : List.of("failed", "rejected")) {
      errors(reason);
    }
  }

  private Counter errors(String reason) {
    return Counter.builder("enroll_issuance_errors")
        .description("Issuance failures by dependency and reason")
        .tag("dependency", "signer")
        .tag("reason", reason)
        .register(registry);
  }

  @Override
  public void signed(String outcome, Duration elapsed) {
    Timer.builder("enroll_signer_duration")
        .description("Time the signer took for one certificate")
        .tag("outcome", outcome)
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5),
            Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(500),
            Duration.ofSeconds(2))
        .register(registry)
        .record(elapsed);
    if (!"ok".equals(outcome)) {
      errors(outcome).increment();
    }
  }

  @Override
  public void breaker(String newState) {
    state.set(newState);
  }
}
