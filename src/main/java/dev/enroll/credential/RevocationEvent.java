package dev.enroll.credential;

import java.time.Instant;

/**
 * One entry of the revocation feed relying parties follow.
 *
 * @param id the cursor: entries come in increasing id
 * @param tenant the tenant
 * @param serial the credential's serial
 * @param subjectId its subject
 * @param status {@code revoked}, {@code on-hold}, or {@code active} when a hold is lifted
 * @param reason the RFC 5280 reason name, or null
 * @param time when it happened
 */
public record RevocationEvent(long id, String tenant, String serial, String subjectId,
    String status, String reason, Instant time) {}
