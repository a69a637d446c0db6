package dev.enroll.store.jdbc;

import dev.enroll.enrollment.Enrollment;
import dev.enroll.enrollment.EnrollmentRepository;
import dev.enroll.enrollment.EnrollmentState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/** Enrollments in the {@code enrollment} table. */
final class JdbcEnrollments implements EnrollmentRepository {
  private static final String COLUMNS = "id, tenant, profile, subject_id, state, method,"
      + " request_id, created_at, completed_at";

  private final Connection connection;

  JdbcEnrollments(Connection connection) {
    this.connection = connection;
  }

  @Override
  public void insert(Enrollment e) {
    String sql = "insert into enrollment (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, e.id());
      insert.setString(2, e.tenant());
      insert.setString(3, e.profile());
      insert.setString(4, e.subjectId());
      insert.setString(5, e.state().wireName());
      insert.setString(6, e.method());
      insert.setString(7, e.requestId());
      Rows.setInstant(insert, 8, e.createdAt());
      Rows.setInstant(insert, 9, e.completedAt());
      insert.executeUpdate();
    } catch (SQLException ex) {
      throw new JdbcException(ex);
    }
  }

  @Override
  public Optional<Enrollment> findById(String id) {
    String sql = "select " + COLUMNS + " from enrollment where id = ?";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, id);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(new Enrollment(rows.getString("id"), rows.getString("tenant"),
            rows.getString("profile"), rows.getString("subject_id"),
            EnrollmentState.valueOf(rows.getString("state").toUpperCase(Locale.ROOT)),
            rows.getString("method"), rows.getString("request_id"),
            Rows.instant(rows, "created_at"), Rows.instant(rows, "completed_at")));
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public void finish(String id, EnrollmentState state, java.time.Instant at) {
    String sql = "update enrollment set state = ?, completed_at = ? where id = ?"
        + " and state in ('pending', 'awaiting_approval')";
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      update.setString(1, state.wireName());
      Rows.setInstant(update, 2, at);
      update.setString(3, id);
      update.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public boolean setState(String id, EnrollmentState from, EnrollmentState to) {
    try (PreparedStatement update = connection.prepareStatement(
        "update enrollment set state = ? where id = ? and state = ?")) {
      update.setString(1, to.wireName());
      update.setString(2, id);
      update.setString(3, from.wireName());
      return update.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  private static final String LIVE = " and state in ('completed', 'pending',"
      + " 'awaiting_approval')";

  @Override
  public boolean hasLive(String subjectId) {
    return exists("select 1 from enrollment where subject_id = ?" + LIVE, subjectId);
  }

  @Override
  public boolean enrolledVia(String subjectId, String profile, String method) {
    return exists("select 1 from enrollment where subject_id = ? and profile = ?"
        + " and method = ?" + LIVE, subjectId, profile, method);
  }

  private boolean exists(String sql, String... values) {
    try (PreparedStatement select = connection.prepareStatement(sql + " limit 1")) {
      for (int i = 0; i < values.length; i++) {
        select.setString(i + 1, values[i]);
      }
      try (java.sql.ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }
}
