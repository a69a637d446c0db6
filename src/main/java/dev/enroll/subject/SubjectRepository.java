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
  Subject insertIfAbsent(Subject candidate);

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
   * Removes a subject's attributes (personal data), keeping the record.
   *
   * @param id the subject
   * @param at when
   */
  void purgeAttributes(String id, java.time.Instant at);
}
