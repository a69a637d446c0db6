package dev.enroll.credential;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Stored credentials. */
public interface CredentialRepository {

  /**
   * Stores a new credential.
   *
   * @param credential the credential
   */
  void insert(Credential credential);

  /**
   * A subject's credentials, newest first.
   *
   * @param subjectId the subject
   * @return its credentials
   */
  List<Credential> bySubject(String subjectId);

  /**
   * The credential with a serial number.
   *
   * @param serial the serial as {@code openssl x509 -serial} prints it
   * @return the credential, if this CA issued it
   */
  Optional<Credential> findBySerial(String serial);

  /**
   * Credentials in any of these states, for revocation lists.
   *
   * @param statuses the states
   * @return the credentials
   */
  List<Credential> byStatus(Collection<CredentialStatus> statuses);

  /**
   * Credentials for the same public key.
   *
   * @param publicKeySha256 the SHA-256 of the SubjectPublicKeyInfo, hex
   * @return the credentials, oldest first
   */
  List<Credential> byPublicKey(String publicKeySha256);

  /**
   * Moves a credential from one status to another, only if it is still in the first.
   *
   * @param id the credential
   * @param from the status it must have
   * @param to the new status
   * @param at the revocation time, kept only for revoked and on-hold (cleared otherwise)
   * @param reason the RFC 5280 reason name, kept only for revoked and on-hold
   * @return whether it moved
   */
  boolean changeStatus(String id, CredentialStatus from, CredentialStatus to, Instant at,
      String reason);

  /**
   * Credentials past {@code notAfter} still marked active or superseded.
   *
   * @param now the time
   * @param limit the most to return
   * @return the credentials
   */
  List<Credential> dueToExpire(Instant now, int limit);

  /**
   * Counts active credentials of a profile whose {@code notAfter} is before a time.
   *
   * @param tenant the tenant
   * @param profile the profile that issued them
   * @param before the time
   * @return how many
   */
  long countActiveEndingBefore(String tenant, String profile, Instant before);

  /**
   * The credential that replaced another (renewal lineage).
   *
   * @param id the replaced credential
   * @return its successor, if it was renewed
   */
  Optional<Credential> replacementOf(String id);
}
