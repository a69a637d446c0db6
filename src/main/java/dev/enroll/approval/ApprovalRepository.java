package dev.enroll.approval;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Approval requests. */
public interface ApprovalRepository {

  /**
   * Stores a new pending request.
   *
   * @param approval the request
   */
  void add(Approval approval);

  /**
   * Finds a request.
   *
   * @param tenant the tenant, or null for any
   * @param enrollmentId the enrollment
   * @return the request
   */
  Optional<Approval> find(String tenant, String enrollmentId);

  /**
   * Finds a pending request and locks it for a decision.
   *
   * @param tenant the tenant, or null for any
   * @param enrollmentId the enrollment
   * @return the request, if it is pending
   */
  Optional<Approval> lockPending(String tenant, String enrollmentId);

  /**
   * Lists requests, oldest first.
   *
   * @param tenant the tenant, or null for every tenant
   * @param state the state to list
   * @param limit the most to list
   * @return the requests
   */
  List<Approval> list(String tenant, ApprovalState state, int limit);

  /**
   * Records a decision on a pending request.
   *
   * @param enrollmentId the enrollment
   * @param state approved, denied or expired
   * @param decidedBy who decided ({@code system} for expiry)
   * @param decidedAt when
   * @param reason why, or null
   * @return false when it was not pending any more
   */
  boolean decide(String enrollmentId, ApprovalState state, String decidedBy, Instant decidedAt,
      String reason);

  /**
   * Pending requests past their expiry, locked for the sweep.
   *
   * @param now the time of the sweep
   * @param limit the most to take
   * @return the requests
   */
  List<Approval> lockExpired(Instant now, int limit);

  /** How many requests are pending. */
  long pendingCount();
}
