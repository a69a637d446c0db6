package dev.enroll.enrollment;

import java.time.Instant;

/**
 * The first answer to a request with an {@code Idempotency-Key}.
 *
 * @param tenant the tenant
 * @param key the client's key
 * @param requestHash hex SHA-256 of the canonical request
 * @param completed whether the answer is stored (false while the first request runs)
 * @param status the answer's HTTP status, when completed
 * @param response the stored answer, when completed
 * @param claimedAt when the first request claimed the key
 */
public record IdempotencyRecord(
    String tenant,
    String key,
    String requestHash,
    boolean completed,
    int status,
    String response,
    Instant claimedAt) {}
