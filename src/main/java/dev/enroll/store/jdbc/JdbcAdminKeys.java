package dev.enroll.store.jdbc;

import dev.enroll.admin.AdminKey;
import dev.enroll.admin.AdminKeyRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Admin keys in {@code admin_key}. */
final class JdbcAdminKeys implements AdminKeyRepository {
  private final Connection connection;

  JdbcAdminKeys(Connection connection) {
    this.connection = connection;
  }

  @Override
  public void insert(AdminKey key) {
    String sql = "insert into admin_key (id, tenant, role, name, secret_hash, created_at)"
        + " values (?, ?, ?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, key.id());
      insert.setString(2, key.tenant());
      insert.setString(3, key.role());
      insert.setString(4, key.name());
      insert.setString(5, key.secretHash());
      Rows.setInstant(insert, 6, key.createdAt());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public Optional<AdminKey> findBySecretHash(String secretHash) {
    String sql = "select id, tenant, role, name, secret_hash, created_at from admin_key"
        + " where secret_hash = ?";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, secretHash);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(new AdminKey(rows.getString("id"), rows.getString("tenant"),
            rows.getString("role"), rows.getString("name"), rows.getString("secret_hash"),
            Rows.instant(rows, "created_at")));
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public boolean any() {
    try (PreparedStatement select = connection.prepareStatement(
        "select count(*) from admin_key");
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1) > 0;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }
}
