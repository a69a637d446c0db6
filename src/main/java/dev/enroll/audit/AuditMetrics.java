package dev.enroll.audit;

/** What the audit chain reports about itself. */
public interface AuditMetrics {
  /**
   * Events were placed in the chain.
   *
   * @param count how many
   */
  void chained(int count);

  /**
   * How many committed events wait to be chained.
   *
   * @param count the backlog
   */
  void unchained(long count);

  /** A checkpoint was signed. */
  void checkpointed();
}
