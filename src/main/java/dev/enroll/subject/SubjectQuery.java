package dev.enroll.subject;

/**
 * Filters for listing subjects. Null fields do not filter.
 *
 * @param tenant only this tenant
 * @param kind only this kind
 * @param state only this state
 * @param afterId only subjects after this id (the page cursor)
 * @param limit the page size
 */
public record SubjectQuery(
    String tenant, SubjectKind kind, SubjectState state, String afterId, int limit) {}
