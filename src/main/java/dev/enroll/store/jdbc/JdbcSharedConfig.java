package dev.enroll.store.jdbc;

import dev.enroll.config.SharedConfigRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The shared configuration in {@code shared_config} (one row). */
final class JdbcSharedConfig implements SharedConfigRepository {
  private final Connection connection;

  JdbcSharedConfig(Connection connection) {
    this.connection = connection;
  }

  @Override
  public Optional<Shared> get() {
    try (PreparedStatement select = connection.prepareStatement(
        "select yaml, sha256, updated_at from shared_config where id = 1");
        ResultSet rows = select.executeQuery()) {
      if (!rows.next()) {
        return Optional.empty();
      }
      return Optional.of(new Shared(rows.getString(1), rows.getString(2),
          Rows.instant(rows, "updated_at")));
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public void put(Shared shared) {
    try {
      try (PreparedStatement update = connection.prepareStatement(
          "update shared_config set yaml = ?, sha256 = ?, updated_at = ? where id = 1")) {
        update.setString(1, shared.yaml());
        update.setString(2, shared.sha256());
        Rows.setInstant(update, 3, shared.updatedAt());
        if (update.executeUpdate() == 1) {
          return;
        }
      }
      try (PreparedStatement insert = connection.prepareStatement("insert into shared_config"
          + " (id, yaml, sha256, updated_at) values (1, ?, ?, ?) on conflict do nothing")) {
        insert.setString(1, shared.yaml());
        insert.setString(2, shared.sha256());
        Rows.setInstant(insert, 3, shared.updatedAt());
        insert.executeUpdate();
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }
}
