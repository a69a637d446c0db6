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
    Instant createdAt) {}
