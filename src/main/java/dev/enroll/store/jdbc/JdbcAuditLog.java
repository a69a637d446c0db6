package dev.enroll.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.enroll.audit.AuditEvent;
import dev.enroll.audit.AuditLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.TreeMap;

/** Audit events in {@code audit_event}, written in the caller's transaction. */
final class JdbcAuditLog implements AuditLog {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private final Connection connection;

  JdbcAuditLog(Connection connection) {
    this.connection = connection;
  }

  @Override
  public void append(AuditEvent e) {
    String sql = "insert into audit_event (event_time, tenant, actor, action, target, outcome,"
        + " reason, request_id, details) values (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      Rows.setInstant(insert, 1, e.time());
      insert.setString(2, e.tenant());
      insert.setString(3, e.actor());
      insert.setString(4, e.action());
      insert.setString(5, e.target());
      insert.setString(6, e.outcome());
      insert.setString(7, e.reason());
      insert.setString(8, e.requestId());
      insert.setString(9, JSON.writeValueAsString(new TreeMap<>(e.details())));
      insert.executeUpdate();
    } catch (SQLException ex) {
      throw new JdbcException(ex);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
