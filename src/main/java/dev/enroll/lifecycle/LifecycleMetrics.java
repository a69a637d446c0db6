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

  /**
   * Subjects now, by tenant and state, and how many of a tenant's active subjects report
   * telemetry in time.
   *
   * @param byState counts by tenant, then state
   * @param reporting counts by tenant
   */
  void subjects(java.util.Map<String, java.util.Map<dev.enroll.subject.SubjectState, Long>>
      byState, java.util.Map<String, Long> reporting);
}
