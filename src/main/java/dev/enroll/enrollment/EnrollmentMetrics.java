package dev.enroll.enrollment;

import java.time.Duration;

/** What the enrollment use case reports for metrics. Labels are of low cardinality. */
public interface EnrollmentMetrics {

  /**
   * An enrollment ended.
   *
   * @param tenant the tenant (a configured one, or {@code unknown})
   * @param profile the profile (a configured one, or {@code unknown})
   * @param outcome {@code issued}, {@code refused} or {@code failed}
   * @param reason a problem slug, or {@code none}
   * @param elapsed from receipt to answer
   */
  void enrollment(String tenant, String profile, String outcome, String reason,
      Duration elapsed);

  /**
   * An enrollment that waited (for the signer, or for approval) got its credential.
   *
   * @param tenant the tenant
   * @param profile the profile
   * @param path {@code queued} or {@code approval}
   * @param elapsed from the request to the credential
   */
  default void completed(String tenant, String profile, String path, Duration elapsed) {}

  /**
   * A renewal ended.
   *
   * @param tenant the tenant (a configured one, or {@code unknown})
   * @param profile the profile (a configured one, or {@code unknown})
   * @param outcome {@code issued}, {@code refused} or {@code failed}
   * @param reason a problem slug, or {@code none}
   * @param elapsed from receipt to answer
   */
  void renewal(String tenant, String profile, String outcome, String reason,
      Duration elapsed);

  /**
   * A request repeated an idempotency key.
   *
   * @param kind {@code replayed}, {@code conflict} or {@code in_progress}
   */
  void duplicate(String kind);

  /** Metrics that record nothing, for tests and tools. */
  EnrollmentMetrics NONE = new EnrollmentMetrics() {
    @Override
    public void enrollment(String tenant, String profile, String outcome, String reason,
        Duration elapsed) {}

    @Override
    public void renewal(String tenant, String profile, String outcome, String reason,
        Duration elapsed) {}

    @Override
    public void duplicate(String kind) {}
  };
}
