package dev.enroll.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.enroll.enrollment.IssuanceDecision;
import dev.enroll.enrollment.IssuanceQueueRepository;
import dev.enroll.enrollment.QueuedIssuance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/** The issuance queue in {@code issuance_queue}. */
final class JdbcIssuanceQueue implements IssuanceQueueRepository {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS = "enrollment_id, tenant, profile, subject_id, csr,"
      + " method, claims, request_id, idempotency_key, queued_at, decision";

  private final Connection connection;

  JdbcIssuanceQueue(Connection connection) {
    this.connection = connection;
  }

  @Override
  public void add(QueuedIssuance q) {
    String sql = "insert into issuance_queue (" + COLUMNS + ")"
        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, q.enrollmentId());
      insert.setString(2, q.tenant());
      insert.setString(3, q.profile());
      insert.setString(4, q.subjectId());
      insert.setString(5, q.csr());
      insert.setString(6, q.method());
      insert.setString(7, JSON.writeValueAsString(q.claims()));
      insert.setString(8, q.requestId());
      insert.setString(9, q.idempotencyKey());
      Rows.setInstant(insert, 10, q.queuedAt());
      insert.setString(11, JSON.writeValueAsString(q.decision()));
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Optional<QueuedIssuance> takeNext() {
    String sql = "select " + COLUMNS + " from issuance_queue order by queued_at,"
        + " enrollment_id limit 1 for update skip locked";
    try (PreparedStatement select = connection.prepareStatement(sql);
        ResultSet rows = select.executeQuery()) {
      if (!rows.next()) {
        return Optional.empty();
      }
      Map<String, Object> claims = JSON.readValue(rows.getString("claims"),
          new TypeReference<Map<String, Object>>() { });
      return Optional.of(new QueuedIssuance(rows.getString("enrollment_id"),
          rows.getString("tenant"), rows.getString("profile"), rows.getString("subject_id"),
          rows.getString("csr"), rows.getString("method"), claims,
          rows.getString("request_id"), rows.getString("idempotency_key"),
          Rows.instant(rows, "queued_at"), decision(rows.getString("decision"))));
    } catch (SQLException e) {
      throw new JdbcException(e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static IssuanceDecision decision(String json) throws JsonProcessingException {
    return json == null ? IssuanceDecision.NONE : JSON.readValue(json, IssuanceDecision.class);
  }

  @Override
  public void remove(String enrollmentId) {
    try (PreparedStatement delete = connection.prepareStatement(
        "delete from issuance_queue where enrollment_id = ?")) {
      delete.setString(1, enrollmentId);
      delete.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public long depth() {
    try (PreparedStatement select = connection.prepareStatement(
        "select count(*) from issuance_queue");
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }
}
