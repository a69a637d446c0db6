package dev.enroll.store.jdbc;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Classifies driver exceptions of H2 and PostgreSQL. */
final class JdbcFailure {
  private static final int H2_CONCURRENT_UPDATE = 90131;
  private static final int H2_LOCK_TIMEOUT = 50200;
  private static final int H2_DEADLOCK = 40001;

  private JdbcFailure() {}

  /** Whether running the transaction again may succeed: serialization failure, deadlock. */
  static boolean transientConflict(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      String state = s.getSQLState();
      int code = s.getErrorCode();
      if ("40001".equals(state) || "40P01".equals(state) || code == H2_CONCURRENT_UPDATE
          || code == H2_LOCK_TIMEOUT || code == H2_DEADLOCK) {
        return true;
      }
    }
    return false;
  }

  /** Whether the database could not be reached (no connection, connection lost). */
  static boolean unavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException) {
        String state = ((SQLException) t).getSQLState();
        if (state != null && (state.startsWith("08") || state.equals("57P01")
            || state.equals("57P03") || state.equals("57014"))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the exception is a unique-constraint violation. */
  static boolean uniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  /** Whether the failure came from the database rather than from the work's own checks. */
  static boolean storeFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        return true;
      }
    }
    return false;
  }
}
