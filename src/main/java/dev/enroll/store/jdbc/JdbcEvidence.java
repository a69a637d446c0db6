package dev.enroll.store.jdbc;

import dev.enroll.attestation.EvidenceRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Spent evidence in {@code spent_evidence}, nonces in {@code attestation_nonce}. */
final class JdbcEvidence implements EvidenceRepository {
  private final Connection connection;

  JdbcEvidence(Connection connection) {
    this.connection = connection;
  }

  @Override
  public boolean spend(String method, String key, Instant expiresAt, Instant now) {
    try (PreparedStatement insert = connection.prepareStatement("insert into spent_evidence"
        + " (method, evidence_key, expires_at, spent_at) values (?, ?, ?, ?)"
        + " on conflict do nothing")) {
      insert.setString(1, method);
      insert.setString(2, key);
      Rows.setInstant(insert, 3, expiresAt);
      Rows.setInstant(insert, 4, now);
      return insert.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public boolean spent(String method, String key) {
    try (PreparedStatement select = connection.prepareStatement(
        "select 1 from spent_evidence where method = ? and evidence_key = ?")) {
      select.setString(1, method);
      select.setString(2, key);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public void addNonce(String tenant, String valueHash, Instant expiresAt) {
    try (PreparedStatement insert = connection.prepareStatement("insert into"
        + " attestation_nonce (value_hash, tenant, expires_at) values (?, ?, ?)")) {
      insert.setString(1, valueHash);
      insert.setString(2, tenant);
      Rows.setInstant(insert, 3, expiresAt);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public boolean useNonce(String tenant, String valueHash, Instant now) {
    try (PreparedStatement delete = connection.prepareStatement("delete from attestation_nonce"
        + " where value_hash = ? and tenant = ? and expires_at > ?")) {
      delete.setString(1, valueHash);
      delete.setString(2, tenant);
      Rows.setInstant(delete, 3, now);
      return delete.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public int sweep(Instant now) {
    int swept = 0;
    for (String table : new String[] {"spent_evidence", "attestation_nonce"}) {
      try (PreparedStatement delete = connection.prepareStatement(
          "delete from " + table + " where expires_at <= ?")) {
        Rows.setInstant(delete, 1, now);
        swept += delete.executeUpdate();
      } catch (SQLException e) {
        throw new JdbcException(e);
      }
    }
    return swept;
  }
}
