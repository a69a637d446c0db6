package dev.enroll.enrollment;

import java.util.Optional;

/** Enrollment requests, used inside one store transaction. */
public interface EnrollmentRepository {

  /**
   * Stores an enrollment.
   *
   * @param enrollment the enrollment
   */
  void insert(Enrollment enrollment);

  /**
   * Finds an enrollment.
   *
   * @param id its id
   * @return the enrollment, if any
   */
  Optional<Enrollment> findById(String id);

  /**
   * Moves a pending enrollment to its final state.
   *
   * @param id the enrollment
   * @param state {@code completed} or {@code failed}
   * @param at when
   */
  void finish(String id, EnrollmentState state, java.time.Instant at);

  /**
   * Moves an unfinished enrollment from one state to another.
   *
   * @param id the enrollment
   * @param from the state it must be in
   * @param to the new state
   * @return false when it was not in {@code from}
   */
  boolean setState(String id, EnrollmentState from, EnrollmentState to);

  /**
   * Whether a subject has an enrollment that is not denied, expired or failed.
   *
   * @param subjectId the subject
   * @return true when it has
   */
  boolean hasLive(String subjectId);

  /**
   * Whether a subject has a live enrollment through a profile and attestation method.
   *
   * @param subjectId the subject
   * @param profile the profile
   * @param method the method
   * @return true when it has
   */
  boolean enrolledVia(String subjectId, String profile, String method);
}
