package dev.enroll.lifecycle;

/** What the lifecycle sweeps report for metrics. Labels are of low cardinality. */
public interface LifecycleMetrics {

  /**
   * How many active credentials of a profile are inside their renewal window now.
   *
   * @param tenant the tenant
   * @param profile the profile
   * @param count the credentials due for renewal
   */
  void dueForRenewal(String tenant, String profile, long count);

  /**
   * Credentials a sweep marked expired.
   *
   * @param count how many
   */
  void expired(int count);

  /** Metrics that record nothing, for tests and tools. */
  LifecycleMetrics NONE = new LifecycleMetrics() {
    @Override
    public void dueForRenewal(String tenant, String profile, long count) {}

    @Override
    public void expired(int count) {}
  };
}
