package dev.enroll.store.jdbc;

import dev.enroll.credential.RevocationEvent;
import dev.enroll.credential.RevocationFeedRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The revocation feed in {@code revocation_event}. */
final class JdbcRevocationFeed implements RevocationFeedRepository {
  private final Connection connection;

  JdbcRevocationFeed(Connection connection) {
    this.connection = connection;
  }

  @Override
  public void append(RevocationEvent e) {
    String sql = "insert into revocation_event (tenant, serial, subject_id, status, reason,"
        + " event_time) values (?, ?, ?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, e.tenant());
      insert.setString(2, e.serial());
      insert.setString(3, e.subjectId());
      insert.setString(4, e.status());
      insert.setString(5, e.reason());
      Rows.setInstant(insert, 6, e.time());
      insert.executeUpdate();
    } catch (SQLException ex) {
      throw new JdbcException(ex);
    }
  }

  @Override
  public List<RevocationEvent> after(long afterId, int limit) {
    String sql = "select id, tenant, serial, subject_id, status, reason, event_time"
        + " from revocation_event where id > ? order by id limit " + limit;
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setLong(1, afterId);
      List<RevocationEvent> events = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          events.add(new RevocationEvent(rows.getLong("id"), rows.getString("tenant"),
              rows.getString("serial"), rows.getString("subject_id"), rows.getString("status"),
              rows.getString("reason"), Rows.instant(rows, "event_time")));
        }
      }
      return events;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public long latestId() {
    try (PreparedStatement select = connection.prepareStatement(
        "select coalesce(max(id), 0) from revocation_event");
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }
}
