package dev.enroll.store.jdbc;

import dev.enroll.attestation.token.JoinToken;
import dev.enroll.attestation.token.JoinTokenRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/** Join tokens in {@code join_token}; uses are spent with one conditional update. */
final class JdbcJoinTokens implements JoinTokenRepository {
  private static final String COLUMNS = "id, tenant, profile, secret_hash, uses, uses_left,"
      + " expires_at, created_by, created_at, external_id";

  private final Connection connection;

  JdbcJoinTokens(Connection connection) {
    this.connection = connection;
  }

  @Override
  public void insert(JoinToken t) {
    String sql = "insert into join_token (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, t.id());
      insert.setString(2, t.tenant());
      insert.setString(3, t.profile());
      insert.setString(4, t.secretHash());
      insert.setInt(5, t.uses());
      insert.setInt(6, t.usesLeft());
      Rows.setInstant(insert, 7, t.expiresAt());
      insert.setString(8, t.createdBy());
      Rows.setInstant(insert, 9, t.createdAt());
      insert.setString(10, t.externalId());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public Optional<JoinToken> findBySecretHash(String secretHash) {
    String sql = "select " + COLUMNS + " from join_token where secret_hash = ?";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, secretHash);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(new JoinToken(rows.getString("id"), rows.getString("tenant"),
            rows.getString("profile"), rows.getString("external_id"),
            rows.getString("secret_hash"), rows.getInt("uses"),
            rows.getInt("uses_left"), Rows.instant(rows, "expires_at"),
            rows.getString("created_by"), Rows.instant(rows, "created_at")));
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public OptionalInt spend(String id, Instant now) {
    String update = "update join_token set uses_left = uses_left - 1"
        + " where id = ? and uses_left > 0 and expires_at > ?";
    try (PreparedStatement spend = connection.prepareStatement(update)) {
      spend.setString(1, id);
      Rows.setInstant(spend, 2, now);
      if (spend.executeUpdate() != 1) {
        return OptionalInt.empty();
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
    try (PreparedStatement left = connection.prepareStatement(
        "select uses_left from join_token where id = ?")) {
      left.setString(1, id);
      try (ResultSet rows = left.executeQuery()) {
        rows.next();
        return OptionalInt.of(rows.getInt(1));
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }
}
