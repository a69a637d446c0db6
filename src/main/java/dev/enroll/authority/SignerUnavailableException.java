package dev.enroll.authority;

import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;

/** The CA's signer (its key, HSM or KMS) cannot sign now; work that needs it waits. */
public final class SignerUnavailableException extends EnrollException {
  private static final long serialVersionUID = 1L;

  /**
   * The signer is down.
   *
   * @param detail why, for the log (the client sees only that the signer is unavailable)
   * @param cause the failure, or null
   */
  public SignerUnavailableException(String detail, Throwable cause) {
    super(ProblemType.SIGNER_UNAVAILABLE, "the CA cannot sign right now; retry later", cause);
    with("retryAfterSeconds", 10);
    addSuppressed(new IllegalStateException(detail));
  }
}
