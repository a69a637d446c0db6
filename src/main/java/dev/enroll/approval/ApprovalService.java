package dev.enroll.approval;

import dev.enroll.audit.AuditEvent;
import dev.enroll.enrollment.EnrollmentState;
import dev.enroll.enrollment.Idempotency;
import dev.enroll.enrollment.QueuedIssuance;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.store.Store;
import dev.enroll.store.Transaction;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decisions on enrollments that wait for a person. Approving hands the enrollment to the
 * issuance queue in the same transaction (any node's worker then signs it); denying or
 * expiry ends it. The approver must be another admin than the one who created the
 * request's join token: nobody enrolls a subject on their own say.
 */
public final class ApprovalService {
  /** Roles whose keys may decide. */
  public static final Set<String> DECIDING_ROLES = dev.enroll.admin.Permission.APPROVE.roles();

  private static final int MAX_REASON = 512;

  private final Store store;
  private final Clock clock;

  /**
   * The service.
   *
   * @param store the store
   * @param clock the clock
   */
  public ApprovalService(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Who decides, as the admin API authenticated them.
   *
   * @param actor the audit actor, {@code admin:<key id>}
   * @param tenant the tenant the key is scoped to, or null for all
   * @param role the key's role
   * @param requestId the request, for the audit event
   */
  public record Approver(String actor, String tenant, String role, String requestId) {}

  /**
   * Lists requests.
   *
   * @param tenant the tenant, or null for every tenant
   * @param state which to list
   * @param limit the most to list
   * @return the requests, oldest first
   */
  public List<Approval> list(String tenant, ApprovalState state, int limit) {
    return store.transact(tx -> tx.approvals().list(tenant, state, limit));
  }

  /**
   * Approves an enrollment: it goes on to the signer.
   *
   * @param approver who approves
   * @param enrollmentId the enrollment
   * @param reason a note for the audit log, or null
   * @return the request as decided
   * @throws EnrollException {@code not-found}, {@code approval-not-pending},
   *     {@code approver-not-allowed}
   */
  public Approval approve(Approver approver, String enrollmentId, String reason) {
    return decide(approver, enrollmentId, ApprovalState.APPROVED, reason);
  }

  /**
   * Denies an enrollment.
   *
   * @param approver who denies
   * @param enrollmentId the enrollment
   * @param reason why, for the client and the audit log
   * @return the request as decided
   * @throws EnrollException {@code not-found}, {@code approval-not-pending},
   *     {@code approver-not-allowed}
   */
  public Approval deny(Approver approver, String enrollmentId, String reason) {
    return decide(approver, enrollmentId, ApprovalState.DENIED, reason);
  }

  private Approval decide(Approver approver, String enrollmentId, ApprovalState state,
      String reason) {
    if (!DECIDING_ROLES.contains(approver.role())) {
      throw new EnrollException(ProblemType.APPROVER_NOT_ALLOWED, "keys of role "
          + approver.role() + " cannot decide approvals (" + DECIDING_ROLES + " can)");
    }
    String note = reason == null ? null
        : reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
    Instant now = clock.instant();
    return store.transact(tx -> {
      Approval pending = tx.approvals().lockPending(approver.tenant(), enrollmentId)
          .orElseThrow(() -> notPending(tx, approver.tenant(), enrollmentId));
      if (!now.isBefore(pending.expiresAt())) {
        throw new EnrollException(ProblemType.APPROVAL_NOT_PENDING, "the request expired at "
            + pending.expiresAt() + "; the subject must enroll again");
      }
      if (approver.actor().equals(pending.requestedBy())) {
        throw new EnrollException(ProblemType.APPROVER_NOT_ALLOWED, "you created this"
            + " request's join token; another admin must decide it");
      }
      tx.approvals().decide(enrollmentId, state, approver.actor(), now, note);
      if (state == ApprovalState.APPROVED) {
        tx.enrollments().setState(enrollmentId, EnrollmentState.AWAITING_APPROVAL,
            EnrollmentState.PENDING);
        tx.issuanceQueue().add(new QueuedIssuance(enrollmentId, pending.tenant(),
            pending.profile(), pending.subjectId(), pending.csr(), pending.method(),
            pending.claims(), pending.requestId(), pending.idempotencyKey(), now,
            pending.decision()));
      } else {
        tx.enrollments().finish(enrollmentId, EnrollmentState.DENIED, now);
        resolveIdempotency(tx, pending, ProblemType.ENROLLMENT_DENIED, note);
      }
      tx.audit().append(new AuditEvent(now, pending.tenant(), approver.actor(),
          state == ApprovalState.APPROVED ? "approval.approved" : "approval.denied",
          "enrollment:" + enrollmentId, AuditEvent.SUCCESS, null, approver.requestId(),
          details(pending, note)));
      return tx.approvals().find(null, enrollmentId).orElseThrow();
    });
  }

  /**
   * Expires requests nobody decided in time.
   *
   * @return how many expired
   */
  public int expireDue() {
    Instant now = clock.instant();
    return store.transact(tx -> {
      List<Approval> due = tx.approvals().lockExpired(now, 100);
      for (Approval approval : due) {
        tx.approvals().decide(approval.enrollmentId(), ApprovalState.EXPIRED, "system", now,
            null);
        tx.enrollments().finish(approval.enrollmentId(), EnrollmentState.EXPIRED, now);
        resolveIdempotency(tx, approval, ProblemType.APPROVAL_EXPIRED, null);
        tx.audit().append(new AuditEvent(now, approval.tenant(), "system", "approval.expired",
            "enrollment:" + approval.enrollmentId(), AuditEvent.SUCCESS, null,
            approval.requestId(), details(approval, null)));
      }
      return due.size();
    });
  }

  /** How many requests wait. */
  public long pending() {
    return store.transact(tx -> tx.approvals().pendingCount());
  }

  private static EnrollException notPending(Transaction tx, String tenant, String id) {
    return tx.approvals().find(tenant, id)
        .map(a -> new EnrollException(ProblemType.APPROVAL_NOT_PENDING,
            "the request is " + a.state().wireName() + " already"))
        .orElseGet(() -> new EnrollException(ProblemType.NOT_FOUND,
            "no approval request " + id));
  }

  /** A retry with the request's Idempotency-Key gets the decision. */
  private static void resolveIdempotency(Transaction tx, Approval approval, ProblemType type,
      String reason) {
    if (approval.idempotencyKey() == null) {
      return;
    }
    String detail = type == ProblemType.ENROLLMENT_DENIED
        ? "an admin denied the enrollment" + (reason == null ? "" : ": " + reason)
        : "nobody approved the enrollment before " + approval.expiresAt();
    tx.idempotency().resolve(approval.tenant(), approval.idempotencyKey(), type.status(),
        Idempotency.encodeProblem(new EnrollException(type, detail)));
  }

  private static Map<String, Object> details(Approval approval, String reason) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("profile", approval.profile());
    details.put("subject", approval.subjectId());
    details.put("externalId", approval.externalId());
    details.put("requestedBy", approval.requestedBy());
    if (reason != null) {
      details.put("reason", reason);
    }
    return details;
  }
}
