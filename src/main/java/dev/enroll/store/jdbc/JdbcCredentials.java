package dev.enroll.store.jdbc;

import dev.enroll.credential.Credential;
import dev.enroll.credential.CredentialRepository;
import dev.enroll.credential.CredentialStatus;
import dev.enroll.credential.CredentialType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import dev.enroll.credential.CredentialStatus;
import java.util.Locale;

/** Credentials in the {@code credential} table. */
final class JdbcCredentials implements CredentialRepository {
  private static final String COLUMNS = "id, tenant, subject_id, enrollment_id, type, serial,"
      + " status, not_before, not_after, public_key_sha256, encoded, created_at, revoked_at,"
      + " revocation_reason, replaces";

  private final Connection connection;

  JdbcCredentials(Connection connection) {
    this.connection = connection;
  }

  @Override
  public void insert(Credential c) {
    String sql = "insert into credential (" + COLUMNS + ")"
        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, c.id());
      insert.setString(2, c.tenant());
      insert.setString(3, c.subjectId());
      insert.setString(4, c.enrollmentId());
      insert.setString(5, c.type().wireName());
      insert.setString(6, c.serial());
      insert.setString(7, c.status().wireName());
      Rows.setInstant(insert, 8, c.notBefore());
      Rows.setInstant(insert, 9, c.notAfter());
      insert.setString(10, c.publicKeySha256());
      insert.setString(11, c.encoded());
      Rows.setInstant(insert, 12, c.createdAt());
      Rows.setInstant(insert, 13, c.revokedAt());
      insert.setString(14, c.revocationReason());
      insert.setString(15, c.replaces());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public List<Credential> bySubject(String subjectId) {
    String sql = "select " + COLUMNS + " from credential where subject_id = ?"
        + " order by created_at desc, id";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, subjectId);
      List<Credential> found = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found.add(map(rows));
        }
      }
      return found;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  private static Credential map(ResultSet rows) throws SQLException {
    return new Credential(rows.getString("id"), rows.getString("tenant"),
        rows.getString("subject_id"), rows.getString("enrollment_id"),
        CredentialType.valueOf(rows.getString("type").toUpperCase(Locale.ROOT)),
        rows.getString("serial"), CredentialStatus.parse(rows.getString("status")),
        Rows.instant(rows, "not_before"), Rows.instant(rows, "not_after"),
        rows.getString("public_key_sha256"), rows.getString("encoded"),
        Rows.instant(rows, "created_at"), Rows.instant(rows, "revoked_at"),
        rows.getString("revocation_reason"), rows.getString("replaces"));
  }

  @Override
  public Optional<Credential> findBySerial(String serial) {
    List<Credential> found = select("serial = ?", serial);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  @Override
  public List<Credential> byStatus(Collection<CredentialStatus> statuses) {
    String marks = String.join(", ", java.util.Collections.nCopies(statuses.size(), "?"));
    return select("status in (" + marks + ") order by revoked_at, id",
        statuses.stream().map(CredentialStatus::wireName).toArray(String[]::new));
  }

  @Override
  public List<Credential> byPublicKey(String publicKeySha256) {
    return select("public_key_sha256 = ? order by created_at, id", publicKeySha256);
  }

  @Override
  public boolean changeStatus(String id, CredentialStatus from, CredentialStatus to,
      Instant at, String reason) {
    String sql = "update credential set status = ?, revoked_at = ?, revocation_reason = ?"
        + " where id = ? and status = ?";
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      update.setString(1, to.wireName());
      Rows.setInstant(update, 2, to == CredentialStatus.ACTIVE ? null : at);
      update.setString(3, to == CredentialStatus.ACTIVE ? null : reason);
      update.setString(4, id);
      update.setString(5, from.wireName());
      return update.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  private List<Credential> select(String condition, String... values) {
    String sql = "select " + COLUMNS + " from credential where " + condition;
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        select.setString(i + 1, values[i]);
      }
      List<Credential> found = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found.add(map(rows));
        }
      }
      return found;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }
}
