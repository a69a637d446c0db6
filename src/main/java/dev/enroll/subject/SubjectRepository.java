package dev.enroll.subject;

import java.util.List;
import java.util.Optional;

/** The subject catalog, used inside one store transaction. */
public interface SubjectRepository {

  /**
   * Inserts the subject unless one with the same tenant, kind and external id exists, and
   * returns whichever is stored. Concurrent callers end with the same row.
   *
   * @param candidate the subject to insert
   * @return the stored subject
   */
  default Subject insertIfAbsent(Subject candidate) {
    return insertIfAbsent(candidate, null);
  }

  /**
   * Inserts the subject unless it exists, like {@link #insertIfAbsent(Subject)}, giving a
   * new subject the time by which it must first report telemetry.
   *
   * @param candidate the subject to insert
   * @param telemetryDeadline when a new subject counts as silent, or null
   * @return the stored subject
   */
  Subject insertIfAbsent(Subject candidate, java.time.Instant telemetryDeadline);

  /**
   * Records a heartbeat: the subject reports, and must report again by the deadline.
   *
   * @param id the subject
   * @param at when it reported
   * @param deadline when it counts as silent unless it reports again
   */
  void heartbeat(String id, java.time.Instant at, java.time.Instant deadline);

  /**
   * Subjects by tenant and state.
   *
   * @return counts, keyed by tenant then state
   */
  java.util.Map<String, java.util.Map<SubjectState, Long>> countByState();

  /**
   * Active subjects that reported telemetry and are not overdue, by tenant.
   *
   * @param now the time
   * @return counts by tenant
   */
  java.util.Map<String, Long> reportingByTenant(java.time.Instant now);

  /**
   * Finds a subject by id within a tenant.
   *
   * @param tenant the tenant, or null for any tenant
   * @param id the subject id
   * @return the subject, if any
   */
  Optional<Subject> findById(String tenant, String id);

  /**
   * Lists subjects, oldest first.
   *
   * @param query filters and page
   * @return at most {@code query.limit()} subjects
   */
  List<Subject> list(SubjectQuery query);

  /**
   * Moves a subject from one state to another, only if it is still in the first.
   *
   * @param id the subject
   * @param from the state it must be in
   * @param to the new state
   * @param at when
   * @return whether it moved
   */
  boolean changeState(String id, SubjectState from, SubjectState to, java.time.Instant at);

  /**
   * Takes the subject's row lock if it is active, so that a concurrent revocation waits for
   * this transaction (or this one sees its result).
   *
   * @param id the subject
   * @param at when
   * @return whether the subject is active
   */
  boolean lockActive(String id, java.time.Instant at);

  /**
   * Offboarded subjects whose attributes are still kept, offboarded before a time.
   *
   * @param before offboarded before this
   * @param limit the most to return
   * @return their ids
   */
  List<String> offboardedBefore(java.time.Instant before, int limit);

  /**
   * Removes a subject's attributes (personal data), keeping the record.
   *
   * @param id the subject
   * @param at when
   */
  void purgeAttributes(String id, java.time.Instant at);
}
