package dev.enroll.store;

import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;

/** The database could not be reached or did not answer in time. */
public class StoreUnavailableException extends EnrollException {
  private static final long serialVersionUID = 1L;

  /**
   * The store is unavailable.
   *
   * @param cause the driver's exception, logged and never sent
   */
  public StoreUnavailableException(Throwable cause) {
    super(ProblemType.UNAVAILABLE, "the store is unavailable; retry shortly", cause);
    with("retryAfterSeconds", 5);
  }
}
