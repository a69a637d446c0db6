package dev.enroll.attestation;

import dev.enroll.store.Transaction;
import java.util.Map;

/**
 * What an attestor proved.
 *
 * @param method the method that proved it
 * @param claims what the audit event records of the evidence (a token's id, a JWT's issuer
 *     and subject), never a secret
 * @param policyClaims the verified claims handed to the policy
 * @param subjectBound whether the evidence names this very subject, so that it may enroll
 *     a subject that already exists (a token for any new subject may not)
 * @param consumption what the enrollment's transaction must consume (a token use, a
 *     {@code jti}); it refuses when the evidence was spent meanwhile
 */
public record VerifiedAttestation(
    String method, Map<String, Object> claims, Map<String, Object> policyClaims,
    boolean subjectBound, Consumption consumption) {

  /** Copies the claims so the record stays immutable. */
  public VerifiedAttestation {
    claims = Map.copyOf(claims);
    policyClaims = java.util.Collections.unmodifiableMap(
        new java.util.LinkedHashMap<>(policyClaims));
  }

  /** Single-use evidence spent in the transaction that issues the credential. */
  @FunctionalInterface
  public interface Consumption {
    /**
     * Spends the evidence.
     *
     * @param tx the issuing transaction
     * @param requestId the request, for audit events
     * @throws dev.enroll.problem.EnrollException when it was spent meanwhile
     */
    void consume(Transaction tx, String requestId);

    /** Nothing to spend. */
    Consumption NONE = (tx, requestId) -> { };
  }
}
