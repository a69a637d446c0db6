package dev.enroll.server;

/**
 * The server cannot start for a reason the operator can fix (a port in use, a data
 * directory held by another process). Its message says what to do; the cause is for logs.
 */
public final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A startup failure.
   *
   * @param message what is wrong and what to do
   * @param cause the underlying failure
   */
  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
