package dev.enroll.anomaly;

import java.time.Instant;

/**
 * A flagged surge.
 *
 * @param id its id
 * @param tenant the tenant
 * @param profile the profile
 * @param network the source network
 * @param action the action that applies while it is active
 * @param detectedAt when it was flagged
 * @param baseline the learned requests per bucket
 * @param observed the requests in the bucket that surged, when flagged
 * @param clearedAt when an admin cleared it, or null while active
 * @param clearedBy who cleared it, or null
 */
public record Anomaly(
    String id,
    String tenant,
    String profile,
    String network,
    String action,
    Instant detectedAt,
    double baseline,
    long observed,
    Instant clearedAt,
    String clearedBy) {}
