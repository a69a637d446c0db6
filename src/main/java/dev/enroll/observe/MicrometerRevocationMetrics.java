package dev.enroll.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * {@code enroll_revocation_propagation_seconds}: from a revoke, hold or release call to the
 * moment OCSP (which reads the store) and the revocation stream reflect it; and
 * {@code enroll_revocation_streams}, the stream clients connected.
 */
public final class MicrometerRevocationMetrics {
  private final Timer propagation;

  /**
   * Metrics in a registry.
   *
   * @param registry the registry
   * @param openStreams how many revocation streams are open now, read when scraped
   */
  public MicrometerRevocationMetrics(MeterRegistry registry, IntSupplier openStreams) {
    propagation = Timer.builder("enroll_revocation_propagation")
        .description("From a revocation call to OCSP and the stream reflecting it")
        .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(5))
        .register(registry);
    // Held strongly: a gauge's usual weak reference lets a method reference be collected.
    Gauge.builder("enroll_revocation_streams", openStreams, IntSupplier::getAsInt)
        .description("Revocation stream clients connected").strongReference(true)
        .register(registry);
  }

  /**
   * Changes became visible.
   *
   * @param changes how many credentials changed
   * @param nanos nanoseconds since the call
   */
  public void propagated(int changes, long nanos) {
    if (changes > 0) {
      propagation.record(Duration.ofNanos(nanos));
    }
  }
}
