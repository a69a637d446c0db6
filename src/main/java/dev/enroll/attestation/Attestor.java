package dev.enroll.attestation;

/**
 * One attestation method: verifies a subject's evidence and hands the policy the claims it
 * proved. Implementations live in their own packages and register by {@link #method()}.
 */
public interface Attestor {

  /** The method's name, as profiles and requests write it, such as {@code token}. */
  String method();

  /**
   * Verifies evidence.
   *
   * @param request the evidence and what it is for
   * @return the verified claims and any single-use consumption to commit
   * @throws dev.enroll.problem.EnrollException when the evidence does not prove the subject
   */
  VerifiedAttestation attest(AttestationRequest request);
}
