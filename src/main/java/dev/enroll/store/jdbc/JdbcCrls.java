package dev.enroll.store.jdbc;

import dev.enroll.authority.CrlRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** CRL numbers in {@code crl_number}, the newest CRLs in {@code published_crl}. */
final class JdbcCrls implements CrlRepository {
  private final Connection connection;

  JdbcCrls(Connection connection) {
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

  @Override
  public java.util.Optional<PublishedCrl> latest(String issuerId) {
    String sql = "select crl_number, this_update, der from published_crl where issuer_id = ?";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, issuerId);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return java.util.Optional.empty();
        }
        return java.util.Optional.of(new PublishedCrl(issuerId, rows.getLong(1),
            Rows.instant(rows, "this_update"), rows.getBytes(3)));
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public void save(PublishedCrl crl) {
    try {
      try (PreparedStatement update = connection.prepareStatement("update published_crl"
          + " set crl_number = ?, this_update = ?, der = ? where issuer_id = ?")) {
        update.setLong(1, crl.number());
        Rows.setInstant(update, 2, crl.thisUpdate());
        update.setBytes(3, crl.der());
        update.setString(4, crl.issuerId());
        if (update.executeUpdate() == 1) {
          return;
        }
      }
      try (PreparedStatement insert = connection.prepareStatement("insert into published_crl"
          + " (issuer_id, crl_number, this_update, der) values (?, ?, ?, ?)")) {
        insert.setString(1, crl.issuerId());
        insert.setLong(2, crl.number());
        Rows.setInstant(insert, 3, crl.thisUpdate());
        insert.setBytes(4, crl.der());
        insert.executeUpdate();
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }
}
