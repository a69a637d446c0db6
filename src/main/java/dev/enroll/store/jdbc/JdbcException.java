package dev.enroll.store.jdbc;

import java.sql.SQLException;

/** A database error that is not the caller's to handle: a bug or a broken database. */
final class JdbcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  JdbcException(SQLException cause) {
    super(cause.getMessage(), cause);
  }
}
