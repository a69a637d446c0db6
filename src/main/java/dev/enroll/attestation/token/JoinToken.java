package dev.enroll.attestation.token;

import java.time.Instant;

/**
 * A join token, as stored: only the hash of its secret.
 *
 * @param id its id, safe to log
 * @param tenant the tenant
 * @param profile the profile it enrolls into
 * @param externalId the one subject it enrolls, or null for any new subject
 * @param secretHash hex SHA-256 of the secret
 * @param uses how many enrollments it allows
 * @param usesLeft how many are left
 * @param expiresAt when it stops working
 * @param createdBy the admin who created it
 * @param createdAt when it was created
 */
public record JoinToken(
    String id,
    String tenant,
    String profile,
    String externalId,
    String secretHash,
    int uses,
    int usesLeft,
    Instant expiresAt,
    String createdBy,
    Instant createdAt) {}
