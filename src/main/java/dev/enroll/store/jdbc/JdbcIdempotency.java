package dev.enroll.store.jdbc;

import dev.enroll.enrollment.IdempotencyRecord;
import dev.enroll.enrollment.IdempotencyRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Idempotency records in {@code idempotency_record}; (tenant, key) is the primary key. */
final class JdbcIdempotency implements IdempotencyRepository {
  private final Connection connection;

  JdbcIdempotency(Connection connection) {
    this.connection = connection;
  }

  @Override
  public boolean claim(String tenant, String key, String requestHash, Instant now) {
    String sql = "insert into idempotency_record (tenant, idempotency_key, request_hash,"
        + " completed, status, claimed_at) values (?, ?, ?, false, 0, ?) on conflict do nothing";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, tenant);
      insert.setString(2, key);
      insert.setString(3, requestHash);
      Rows.setInstant(insert, 4, now);
      return insert.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public Optional<IdempotencyRecord> find(String tenant, String key) {
    String sql = "select request_hash, completed, status, response, claimed_at"
        + " from idempotency_record where tenant = ? and idempotency_key = ?";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, tenant);
      select.setString(2, key);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(new IdempotencyRecord(tenant, key, rows.getString("request_hash"),
            rows.getBoolean("completed"), rows.getInt("status"), rows.getString("response"),
            Rows.instant(rows, "claimed_at")));
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public void complete(String tenant, String key, int status, String response) {
    String sql = "update idempotency_record set completed = true, status = ?, response = ?"
        + " where tenant = ? and idempotency_key = ? and completed = false";
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      update.setInt(1, status);
      update.setString(2, response);
      update.setString(3, tenant);
      update.setString(4, key);
      if (update.executeUpdate() != 1) {
        throw new IllegalStateException("idempotency claim lost before completion");
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public boolean takeOver(String tenant, String key, Instant claimedAt, Instant now) {
    String sql = "update idempotency_record set claimed_at = ?"
        + " where tenant = ? and idempotency_key = ? and completed = false and claimed_at = ?";
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      Rows.setInstant(update, 1, now);
      update.setString(2, tenant);
      update.setString(3, key);
      Rows.setInstant(update, 4, claimedAt);
      return update.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public void release(String tenant, String key) {
    String sql = "delete from idempotency_record"
        + " where tenant = ? and idempotency_key = ? and completed = false";
    try (PreparedStatement delete = connection.prepareStatement(sql)) {
      delete.setString(1, tenant);
      delete.setString(2, key);
      delete.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public void resolve(String tenant, String key, int status, String response) {
    String sql = "update idempotency_record set status = ?, response = ?"
        + " where tenant = ? and idempotency_key = ? and completed = true and status = 202";
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      update.setInt(1, status);
      update.setString(2, response);
      update.setString(3, tenant);
      update.setString(4, key);
      update.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }
}
