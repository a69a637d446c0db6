package dev.enroll.enrollment;

import java.time.Instant;
import java.util.Map;

/**
 * An accepted enrollment waiting for the signer.
 *
 * @param enrollmentId the pending enrollment
 * @param tenant the tenant
 * @param profile the profile's name
 * @param subjectId the subject
 * @param csr the certificate request as received
 * @param method the attestation method that proved the subject
 * @param claims what the attestation established (safe to record: no secrets)
 * @param requestId the request that was accepted
 * @param idempotencyKey its idempotency key, or null
 * @param queuedAt when it was accepted
 */
public record QueuedIssuance(
    String enrollmentId,
    String tenant,
    String profile,
    String subjectId,
    String csr,
    String method,
    Map<String, Object> claims,
    String requestId,
    String idempotencyKey,
    Instant queuedAt,
    IssuanceDecision decision) {

  /** Copies the claims so the record stays immutable. */
  public QueuedIssuance {
    claims = Map.copyOf(claims);
    decision = decision == null ? IssuanceDecision.NONE : decision;
  }
}
