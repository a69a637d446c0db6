package dev.enroll.attestation;

import java.time.Instant;

/** Single-use attestation evidence: spent evidence and server nonces. */
public interface EvidenceRepository {

  /**
   * Spends evidence once.
   *
   * @param method the attestation method
   * @param key a hash naming the evidence (such as the issuer and {@code jti})
   * @param expiresAt when the evidence would expire anyway; the record may go after it
   * @param now the time of spending
   * @return false when it was spent before
   */
  boolean spend(String method, String key, Instant expiresAt, Instant now);

  /**
   * Whether evidence was spent, to refuse a replay before anything else is done.
   *
   * @param method the attestation method
   * @param key the evidence's hash
   * @return true when it was
   */
  boolean spent(String method, String key);

  /**
   * Keeps a new nonce.
   *
   * @param tenant the tenant it was given out for
   * @param valueHash the nonce's hash
   * @param expiresAt when it stops being accepted
   */
  void addNonce(String tenant, String valueHash, Instant expiresAt);

  /**
   * Uses a nonce up.
   *
   * @param tenant the tenant of the enrollment
   * @param valueHash the nonce's hash
   * @param now the time of use
   * @return false when there is no such unexpired nonce for the tenant
   */
  boolean useNonce(String tenant, String valueHash, Instant now);

  /**
   * Deletes spent evidence and nonces past their expiry.
   *
   * @param now the time of the sweep
   * @return how many records went
   */
  int sweep(Instant now);
}
