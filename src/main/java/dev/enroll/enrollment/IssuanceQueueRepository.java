package dev.enroll.enrollment;

import java.util.Optional;

/** The durable queue of enrollments waiting for the signer, shared by every node. */
public interface IssuanceQueueRepository {

  /**
   * Queues an accepted enrollment.
   *
   * @param issuance the enrollment
   */
  void add(QueuedIssuance issuance);

  /**
   * Takes the oldest queued enrollment no other transaction holds, locking it until this
   * transaction ends ({@code FOR UPDATE SKIP LOCKED}).
   *
   * @return the enrollment, if any is free
   */
  Optional<QueuedIssuance> takeNext();

  /**
   * Removes a completed enrollment from the queue.
   *
   * @param enrollmentId the enrollment
   */
  void remove(String enrollmentId);

  /** How many enrollments wait. */
  long depth();
}
