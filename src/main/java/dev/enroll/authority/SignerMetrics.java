package dev.enroll.authority;

import java.time.Duration;

/** What the signer guard reports. Labels are of low cardinality. */
public interface SignerMetrics {

  /**
   * One signing ended.
   *
   * @param outcome {@code ok}, {@code failed} or {@code rejected} (the breaker was open)
   * @param elapsed how long it took
   */
  void signed(String outcome, Duration elapsed);

  /**
   * The breaker changed state.
   *
   * @param state {@code closed}, {@code open} or {@code half_open}
   */
  void breaker(String state);

  /** Metrics that record nothing. */
  SignerMetrics NONE = new SignerMetrics() {
    @Override
    public void signed(String outcome, Duration elapsed) {}

    @Override
    public void breaker(String state) {}
  };
}
