package dev.enroll.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Conversions between JDBC columns and domain values that both databases share. */
final class Rows {
  private Rows() {}

  static void setInstant(PreparedStatement statement, int index, Instant value)
      throws SQLException {
    statement.setObject(index, value == null ? null : OffsetDateTime.ofInstant(value,
        ZoneOffset.UTC));
  }

  static Instant instant(ResultSet rows, String column) throws SQLException {
    OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
