package dev.enroll.store.jdbc;

import dev.enroll.authority.CrlNumberRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** CRL numbers in {@code crl_number}. */
final class JdbcCrlNumbers implements CrlNumberRepository {
  private final Connection connection;

  JdbcCrlNumbers(Connection connection) {
    this.connection = connection;
  }

  @Override
  public long next(String issuerId) {
    try {
      try (PreparedStatement update = connection.prepareStatement(
          "update crl_number set last_number = last_number + 1 where issuer_id = ?")) {
        update.setString(1, issuerId);
        if (update.executeUpdate() == 0) {
          try (PreparedStatement insert = connection.prepareStatement(
              "insert into crl_number (issuer_id, last_number) values (?, 1)")) {
            insert.setString(1, issuerId);
            insert.executeUpdate();
          }
        }
      }
      try (PreparedStatement select = connection.prepareStatement(
          "select last_number from crl_number where issuer_id = ?")) {
        select.setString(1, issuerId);
        try (ResultSet rows = select.executeQuery()) {
          rows.next();
          return rows.getLong(1);
        }
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }
}
