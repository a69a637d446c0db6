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
}
