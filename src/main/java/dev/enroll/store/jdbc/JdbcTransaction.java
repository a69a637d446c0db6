package dev.enroll.store.jdbc;

import dev.enroll.admin.AdminKeyRepository;
import dev.enroll.attestation.token.JoinTokenRepository;
import dev.enroll.audit.AuditLog;
import dev.enroll.credential.CredentialRepository;
import dev.enroll.enrollment.EnrollmentRepository;
import dev.enroll.enrollment.IdempotencyRepository;
import dev.enroll.store.Transaction;
import dev.enroll.subject.SubjectRepository;
import java.sql.Connection;

/** The repositories of one JDBC connection's open transaction. */
final class JdbcTransaction implements Transaction {
  private final Connection connection;

  JdbcTransaction(Connection connection) {
    this.connection = connection;
  }

  @Override
  public SubjectRepository subjects() {
    return new JdbcSubjects(connection);
  }

  @Override
  public CredentialRepository credentials() {
    return new JdbcCredentials(connection);
  }

  @Override
  public EnrollmentRepository enrollments() {
    return new JdbcEnrollments(connection);
  }

  @Override
  public IdempotencyRepository idempotency() {
    return new JdbcIdempotency(connection);
  }

  @Override
  public JoinTokenRepository tokens() {
    return new JdbcJoinTokens(connection);
  }

  @Override
  public AdminKeyRepository adminKeys() {
    return new JdbcAdminKeys(connection);
  }

  @Override
  public AuditLog audit() {
    return new JdbcAuditLog(connection);
  }

  @Override
  public void lockJob(String job) {
    try {
      if (!connection.getMetaData().getURL().startsWith("jdbc:postgresql:")) {
        return;
      }
      try (java.sql.PreparedStatement lock = connection.prepareStatement(
          "select pg_advisory_xact_lock(hashtext(?))")) {
        lock.setString(1, "enroll:" + job);
        lock.execute();
      }
    } catch (java.sql.SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public dev.enroll.credential.RevocationFeedRepository revocations() {
    return new JdbcRevocationFeed(connection);
  }

  @Override
  public dev.enroll.authority.CrlNumberRepository crlNumbers() {
    return new JdbcCrlNumbers(connection);
  }
}
