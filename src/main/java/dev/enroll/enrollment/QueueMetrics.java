package dev.enroll.enrollment;

/** How deep Enroll's queues are. */
public interface QueueMetrics {

  /**
   * A queue's depth now.
   *
   * @param queue {@code issuance} (waiting for the signer)
   * @param depth how many wait
   */
  void depth(String queue, long depth);
}
