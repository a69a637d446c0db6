package dev.enroll.subject;

/**
 * Filters for listing subjects. Null fields do not filter.
 *
 * @param tenant only this tenant
 * @param kind only this kind
 * @param state only this state
 * @param afterId only subjects after this id (the page cursor)
 * @param limit the page size
 * @param silentAt only active subjects overdue for telemetry at this time; null: no filter
 */
public record SubjectQuery(
    String tenant, SubjectKind kind, SubjectState state, String afterId, int limit,
    java.time.Instant silentAt) {

  /** A query with no telemetry filter. */
  public SubjectQuery(
      String tenant, SubjectKind kind, SubjectState state, String afterId, int limit) {
    this(tenant, kind, state, afterId, limit, null);
  }
}
