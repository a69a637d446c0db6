package dev.enroll.enrollment;

import java.time.Instant;

/**
 * One enrollment request that got through: {@code received -> pending -> completed}.
 * Refused requests leave no enrollment, only an audit event.
 *
 * @param id its id
 * @param tenant the tenant
 * @param profile the profile's name
 * @param subjectId the enrolled subject
 * @param state where it is
 * @param method the attestation method that proved the subject
 * @param requestId the HTTP request that carried it
 * @param createdAt when it was received
 * @param completedAt when it completed, or null
 */
public record Enrollment(
    String id,
    String tenant,
    String profile,
    String subjectId,
    EnrollmentState state,
    String method,
    String requestId,
    Instant createdAt,
    Instant completedAt) {}
