package dev.enroll.authority;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between the CA and its signer. A circuit breaker keeps a dead signer from being
 * hammered: after repeated failures calls fail at once for a while, then one trial call
 * tells whether it is back. A fault switch (a file whose presence makes every signing fail,
 * named by {@code ENROLL_SIGNER_FAULT_FILE}) lets tests and drills take the signer down the
 * way an HSM or KMS outage would.
 */
public final class SignerGuard {
  private static final Logger LOG = LoggerFactory.getLogger(SignerGuard.class);

  private final Path faultSwitch;
  private final SignerMetrics metrics;
  private final CircuitBreaker breaker;

  /**
   * A guard.
   *
   * @param faultSwitch the file that, while it exists, makes the signer fail; or null
   * @param metrics where latency and breaker state go
   */
  public SignerGuard(Path faultSwitch, SignerMetrics metrics) {
    this.faultSwitch = faultSwitch;
    this.metrics = metrics;
    this.breaker = CircuitBreaker.of("signer", CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(10)
        .minimumNumberOfCalls(3)
        .failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofSeconds(2))
        .permittedNumberOfCallsInHalfOpenState(1)
        .recordExceptions(SignerUnavailableException.class, IllegalStateException.class)
        .build());
    breaker.getEventPublisher().onStateTransition(event -> {
      String state = event.getStateTransition().getToState().name().toLowerCase(Locale.ROOT);
      LOG.atWarn().addKeyValue("state", state).log("signer breaker changed state");
      metrics.breaker(state);
    });
    metrics.breaker("closed");
  }

  /** A guard with no fault switch and no metrics, for tools. */
  public static SignerGuard plain() {
    return new SignerGuard(null, SignerMetrics.NONE);
  }

  /**
   * Runs one signing through the breaker.
   *
   * @param signing the signing
   * @param <T> its result
   * @return the result
   * @throws SignerUnavailableException when the signer failed or the breaker is open
   */
  public <T> T sign(Supplier<T> signing) {
    long started = System.nanoTime();
    try {
      T result = breaker.executeSupplier(() -> {
        if (faultSwitch != null && Files.exists(faultSwitch)) {
          throw new SignerUnavailableException("fault switch " + faultSwitch + " is on", null);
        }
        return signing.get();
      });
      metrics.signed("ok", Duration.ofNanos(System.nanoTime() - started));
      return result;
    } catch (CallNotPermittedException e) {
      metrics.signed("rejected", Duration.ofNanos(System.nanoTime() - started));
      throw new SignerUnavailableException("the signer breaker is open", e);
    } catch (SignerUnavailableException e) {
      metrics.signed("failed", Duration.ofNanos(System.nanoTime() - started));
      throw e;
    } catch (IllegalStateException e) {
      metrics.signed("failed", Duration.ofNanos(System.nanoTime() - started));
      throw new SignerUnavailableException("the signer failed", e);
    }
  }
}
