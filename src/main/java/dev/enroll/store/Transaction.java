package dev.enroll.store;

import dev.enroll.admin.AdminKeyRepository;
import dev.enroll.attestation.token.JoinTokenRepository;
import dev.enroll.audit.AuditLog;
import dev.enroll.credential.CredentialRepository;
import dev.enroll.enrollment.EnrollmentRepository;
import dev.enroll.enrollment.IdempotencyRepository;
import dev.enroll.subject.SubjectRepository;

/** The repositories of one open transaction. */
public interface Transaction {

  /** Subjects. */
  SubjectRepository subjects();

  /** Issued credentials. */
  CredentialRepository credentials();

  /** Enrollment requests. */
  EnrollmentRepository enrollments();

  /** Idempotency records of enrollment requests. */
  IdempotencyRepository idempotency();

  /** Join tokens. */
  JoinTokenRepository tokens();

  /** Admin API keys. */
  AdminKeyRepository adminKeys();

  /** The audit log. */
  AuditLog audit();

  /**
   * Makes this transaction the only one running a background job, across every Enroll node
   * that shares the store: others asking for the same job wait until this one ends. On the
   * embedded store (one process) a job's own thread is alone already.
   *
   * @param job the job's name, such as {@code audit-chain}
   */
  void lockJob(String job);

  /**
   * Announces a topic to every node's listeners once this transaction commits; nothing
   * when it rolls back. Only {@link Store#transact} announces, not group commits.
   *
   * @param topic a short name of letters and hyphens, such as {@code revocations}
   */
  void announce(String topic);

  /** Enrollments waiting for the signer. */
  dev.enroll.enrollment.IssuanceQueueRepository issuanceQueue();

  /** The configuration the nodes share. */
  dev.enroll.config.SharedConfigRepository sharedConfig();

  /** The revocation feed. */
  dev.enroll.credential.RevocationFeedRepository revocations();

  /** CRL numbers and the newest CRLs. */
  dev.enroll.authority.CrlRepository crls();

  /** Single-use attestation evidence and server nonces. */
  dev.enroll.attestation.EvidenceRepository evidence();

  /** Enrollments waiting for a person's approval. */
  dev.enroll.approval.ApprovalRepository approvals();

  /** Enrollment groups for symmetric-key attestation. */
  dev.enroll.attestation.symmetric.GroupRepository groups();

  /** Flagged enrollment surges. */
  dev.enroll.anomaly.AnomalyRepository anomalies();
}
