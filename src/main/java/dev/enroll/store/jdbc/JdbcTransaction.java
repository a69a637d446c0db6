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
  private final java.util.Set<String> announced = new java.util.LinkedHashSet<>();

  JdbcTransaction(Connection connection) {
    this.connection = connection;
  }

  /** The topics this transaction announced, for delivery after its commit. */
  java.util.Set<String> announced() {
    return announced;
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
  public void announce(String topic) {
    if (!announced.add(topic)) {
      return;
    }
    try {
      if (Announcements.postgres(connection)) {
        // PostgreSQL delivers it to every listening node when this transaction commits.
        try (java.sql.PreparedStatement notify = connection.prepareStatement(
            "select pg_notify(?, '')")) {
          notify.setString(1, Announcements.channel(topic));
          notify.execute();
        }
      }
    } catch (java.sql.SQLException e) {
      throw new JdbcException(e);
    }
  }

  @Override
  public void lockJob(String job) {
    try {
      if (!Announcements.postgres(connection)) {
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
  public dev.enroll.enrollment.IssuanceQueueRepository issuanceQueue() {
    return new JdbcIssuanceQueue(connection);
  }

  @Override
  public dev.enroll.config.SharedConfigRepository sharedConfig() {
    return new JdbcSharedConfig(connection);
  }

  @Override
  public dev.enroll.credential.RevocationFeedRepository revocations() {
    return new JdbcRevocationFeed(connection);
  }

  @Override
  public dev.enroll.authority.CrlRepository crls() {
    return new JdbcCrls(connection);
  }

  @Override
  public dev.enroll.attestation.EvidenceRepository evidence() {
    return new JdbcEvidence(connection);
  }

  @Override
  public dev.enroll.approval.ApprovalRepository approvals() {
    return new JdbcApprovals(connection);
  }

  @Override
  public dev.enroll.attestation.symmetric.GroupRepository groups() {
    return new JdbcGroups(connection);
  }

  @Override
  public dev.enroll.anomaly.AnomalyRepository anomalies() {
    return new JdbcAnomalies(connection);
  }
}
