package dev.enroll.approval;

import dev.enroll.enrollment.IssuanceDecision;
import java.time.Instant;
import java.util.Map;

/**
 * An enrollment waiting for, or past, a person's decision.
 *
 * @param enrollmentId the enrollment
 * @param tenant its tenant
 * @param profile its profile
 * @param subjectId the subject
 * @param externalId the subject's external id
 * @param csr the certificate request
 * @param method the attestation method
 * @param claims what the audit event records of the evidence
 * @param decision what the policy decided
 * @param requestId the request that asked
 * @param idempotencyKey the client's key, or null
 * @param requestedBy who stands behind the request: the admin who created its join token,
 *     or {@code subject} for evidence no admin made
 * @param state where it is
 * @param createdAt when it was asked for
 * @param expiresAt when it expires unless decided
 * @param decidedBy the admin who decided, or null
 * @param decidedAt when, or null
 * @param reason the admin's reason, or null
 */
public record Approval(
    String enrollmentId,
    String tenant,
    String profile,
    String subjectId,
    String externalId,
    String csr,
    String method,
    Map<String, Object> claims,
    IssuanceDecision decision,
    String requestId,
    String idempotencyKey,
    String requestedBy,
    ApprovalState state,
    Instant createdAt,
    Instant expiresAt,
    String decidedBy,
    Instant decidedAt,
    String reason) {

  /** Copies the claims so the record stays immutable. */
  public Approval {
    claims = Map.copyOf(claims);
  }
}
