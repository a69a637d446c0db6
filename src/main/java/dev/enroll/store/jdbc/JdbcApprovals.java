package dev.enroll.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.enroll.approval.Approval;
import dev.enroll.approval.ApprovalRepository;
import dev.enroll.approval.ApprovalState;
import dev.enroll.enrollment.IssuanceDecision;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Approval requests in {@code approval}. */
final class JdbcApprovals implements ApprovalRepository {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS = "enrollment_id, tenant, profile, subject_id,"
      + " external_id, csr, method, claims, decision, request_id, idempotency_key,"
      + " requested_by, state, created_at, expires_at, decided_by, decided_at, reason";

  private final Connection connection;

  JdbcApprovals(Connection connection) {
    this.connection = connection;
  }

  @Override
  public void add(Approval a) {
    String sql = "insert into approval (" + COLUMNS + ") values"
        + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, a.enrollmentId());
      insert.setString(2, a.tenant());
      insert.setString(3, a.profile());
      insert.setString(4, a.subjectId());
      insert.setString(5, a.externalId());
      insert.setString(6, a.csr());
      insert.setString(7, a.method());
      insert.setString(8, JSON.writeValueAsString(a.claims()));
      insert.setString(9, JSON.writeValueAsString(a.decision()));
      insert.setString(10, a.requestId());
      insert.setString(11, a.idempotencyKey());
      insert.setString(12, a.requestedBy());
      insert.setString(13, a.state().wireName());
      Rows.setInstant(insert, 14, a.createdAt());
      Rows.setInstant(insert, 15, a.expiresAt());
      insert.setString(16, a.decidedBy());
      Rows.setInstant(insert, 17, a.decidedAt());
      insert.setString(18, a.reason());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Optional<Approval> find(String tenant, String enrollmentId) {
    return one("select " + COLUMNS + " from approval where enrollment_id = ?"
        + (tenant == null ? "" : " and tenant = ?"), tenant, enrollmentId);
  }

  @Override
  public Optional<Approval> lockPending(String tenant, String enrollmentId) {
    return one("select " + COLUMNS + " from approval where enrollment_id = ?"
        + (tenant == null ? "" : " and tenant = ?") + " and state = 'pending' for update",
        tenant, enrollmentId);
  }

  private Optional<Approval> one(String sql, String tenant, String enrollmentId) {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, enrollmentId);
      if (tenant != null) {
        select.setString(2, tenant);
      }
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public List<Approval> list(String tenant, ApprovalState state, int limit) {
    String sql = "select " + COLUMNS + " from approval where state = ?"
        + (tenant == null ? "" : " and tenant = ?") + " order by created_at, enrollment_id"
        + " limit ?";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      int i = 1;
      select.setString(i++, state.wireName());
      if (tenant != null) {
        select.setString(i++, tenant);
      }
      select.setInt(i, limit);
      return all(select);
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public boolean decide(String enrollmentId, ApprovalState state, String decidedBy,
      Instant decidedAt, String reason) {
    try (PreparedStatement update = connection.prepareStatement("update approval set state = ?,"
        + " decided_by = ?, decided_at = ?, reason = ? where enrollment_id = ?"
        + " and state = 'pending'")) {
      update.setString(1, state.wireName());
      update.setString(2, decidedBy);
      Rows.setInstant(update, 3, decidedAt);
      update.setString(4, reason);
      update.setString(5, enrollmentId);
      return update.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public List<Approval> lockExpired(Instant now, int limit) {
    try (PreparedStatement select = connection.prepareStatement("select " + COLUMNS
        + " from approval where state = 'pending' and expires_at <= ?"
        + " order by expires_at limit ? for update skip locked")) {
      Rows.setInstant(select, 1, now);
      select.setInt(2, limit);
      return all(select);
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public long pendingCount() {
    try (PreparedStatement select = connection.prepareStatement(
        "select count(*) from approval where state = 'pending'");
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  private static List<Approval> all(PreparedStatement select) throws SQLException {
    List<Approval> approvals = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        approvals.add(read(rows));
      }
    }
    return approvals;
  }

  private static Approval read(ResultSet rows) throws SQLException {
    try {
      Map<String, Object> claims = JSON.readValue(rows.getString("claims"),
          new TypeReference<Map<String, Object>>() { });
      IssuanceDecision decision = JSON.readValue(rows.getString("decision"),
          IssuanceDecision.class);
      return new Approval(rows.getString("enrollment_id"), rows.getString("tenant"),
          rows.getString("profile"), rows.getString("subject_id"),
          rows.getString("external_id"), rows.getString("csr"), rows.getString("method"),
          claims, decision, rows.getString("request_id"), rows.getString("idempotency_key"),
          rows.getString("requested_by"), ApprovalState.parse(rows.getString("state")),
          Rows.instant(rows, "created_at"), Rows.instant(rows, "expires_at"),
          rows.getString("decided_by"), Rows.instant(rows, "decided_at"),
          rows.getString("reason"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("approval row unreadable", e);
    }
  }
}
