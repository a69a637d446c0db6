package dev.enroll.attestation.symmetric;

import java.time.Instant;

/**
 * An enrollment group as stored: its key only encrypted.
 *
 * @param id the group's id
 * @param tenant its tenant
 * @param profile the profile its devices enroll into
 * @param name a name unique in the profile
 * @param encryptedKey the group key, AES-256-GCM encrypted, base64
 * @param createdBy the admin who created it
 * @param createdAt when
 */
public record EnrollmentGroup(
    String id,
    String tenant,
    String profile,
    String name,
    String encryptedKey,
    String createdBy,
    Instant createdAt) {}
