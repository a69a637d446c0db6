package dev.enroll.credential;

import java.time.Instant;

/**
 * A credential issued to a subject.
 *
 * @param id the id Enroll gave it
 * @param tenant the tenant
 * @param subjectId the subject it was issued to
 * @param enrollmentId the enrollment that issued it
 * @param type what it is
 * @param serial the certificate serial, as {@code openssl x509 -serial} prints it
 * @param status where it is in its life
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param publicKeySha256 hex SHA-256 of the subject public key info
 * @param encoded the certificate in PEM
 * @param createdAt when it was issued
 * @param revokedAt when it was revoked or put on hold, or null
 * @param revocationReason the RFC 5280 reason name, or null
 * @param replaces the credential it replaced (renewal lineage), or null
 */
public record Credential(
    String id,
    String tenant,
    String subjectId,
    String enrollmentId,
    CredentialType type,
    String serial,
    CredentialStatus status,
    Instant notBefore,
    Instant notAfter,
    String publicKeySha256,
    String encoded,
    Instant createdAt,
    Instant revokedAt,
    String revocationReason,
    String replaces) {

  /** A new, active credential that replaces nothing. */
  public static Credential issued(String id, String tenant, String subjectId,
      String enrollmentId, CredentialType type, String serial, Instant notBefore,
      Instant notAfter, String publicKeySha256, String encoded, Instant createdAt,
      String replaces) {
    return new Credential(id, tenant, subjectId, enrollmentId, type, serial,
        CredentialStatus.ACTIVE, notBefore, notAfter, publicKeySha256, encoded, createdAt,
        null, null, replaces);
  }
}
