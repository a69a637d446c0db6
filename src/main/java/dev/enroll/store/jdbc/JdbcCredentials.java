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
    return select("subject_id = ? order by created_at desc, id", subjectId);
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
      // Only a revoked or held credential has a revocation time and reason (CRL, OCSP).
      boolean listed = to == CredentialStatus.REVOKED || to == CredentialStatus.ON_HOLD;
      update.setString(1, to.wireName());
      Rows.setInstant(update, 2, listed ? at : null);
      update.setString(3, listed ? reason : null);
      update.setString(4, id);
      update.setString(5, from.wireName());
      return update.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public List<Credential> dueToExpire(Instant now, int limit) {
    String sql = "select " + COLUMNS + " from credential where status in ('active',"
        + " 'superseded') and not_after <= ? order by not_after limit ?";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      Rows.setInstant(select, 1, now);
      select.setInt(2, limit);
      return rows(select);
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public long countActiveEndingBefore(String tenant, String profile, Instant before) {
    String sql = "select count(*) from credential c join enrollment e"
        + " on c.enrollment_id = e.id where c.status = 'active' and c.not_after < ?"
        + " and e.tenant = ? and e.profile = ?";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      Rows.setInstant(select, 1, before);
      select.setString(2, tenant);
      select.setString(3, profile);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public Optional<Credential> replacementOf(String id) {
    return select("replaces = ?", id).stream().findFirst();
  }

  private List<Credential> rows(PreparedStatement select) throws SQLException {
    List<Credential> found = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        found.add(map(rows));
      }
    }
    return found;
  }

  private List<Credential> select(String condition, String... values) {
    String sql = "select " + COLUMNS + " from credential where " + condition;
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        select.setString(i + 1, values[i]);
      }
      return rows(select);
    } catch (SQLException e) {
      throw new JdbcException(e);
    }
  }
}
