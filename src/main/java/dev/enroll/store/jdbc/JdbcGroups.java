package dev.enroll.store.jdbc;

import dev.enroll.attestation.symmetric.EnrollmentGroup;
import dev.enroll.attestation.symmetric.GroupRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Enrollment groups in {@code enrollment_group}. */
final class JdbcGroups implements GroupRepository {
  private static final String COLUMNS =
      "id, tenant, profile, name, encrypted_key, created_by, created_at";

  private final Connection connection;

  JdbcGroups(Connection connection) {
    this.connection = connection;
  }

  @Override
  public boolean insert(EnrollmentGroup g) {
    try (PreparedStatement insert = connection.prepareStatement("insert into enrollment_group"
        + " (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing")) {
      insert.setString(1, g.id());
      insert.setString(2, g.tenant());
      insert.setString(3, g.profile());
      insert.setString(4, g.name());
      insert.setString(5, g.encryptedKey());
      insert.setString(6, g.createdBy());
      Rows.setInstant(insert, 7, g.createdAt());
      return insert.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public Optional<EnrollmentGroup> find(String tenant, String profile, String idOrName) {
    try (PreparedStatement select = connection.prepareStatement("select " + COLUMNS
        + " from enrollment_group where tenant = ? and profile = ? and (id = ? or name = ?)"
        + " and disabled_at is null")) {
      select.setString(1, tenant);
      select.setString(2, profile);
      select.setString(3, idOrName);
      select.setString(4, idOrName);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(new EnrollmentGroup(rows.getString("id"), rows.getString("tenant"),
            rows.getString("profile"), rows.getString("name"), rows.getString("encrypted_key"),
            rows.getString("created_by"), Rows.instant(rows, "created_at")));
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }
}
