package dev.enroll.enrollment;

import dev.enroll.approval.Approval;
import dev.enroll.approval.ApprovalState;
import dev.enroll.attestation.VerifiedAttestation;
import dev.enroll.attestation.token.TokenAttestor;
import dev.enroll.audit.AuditEvent;
import dev.enroll.authority.CertificateAuthority;
import dev.enroll.authority.IssuedCertificate;
import dev.enroll.credential.Credential;
import dev.enroll.credential.CredentialType;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.profile.Profile;
import dev.enroll.store.Ids;
import dev.enroll.store.Transaction;
import dev.enroll.subject.Subject;
import dev.enroll.subject.SubjectKind;
import dev.enroll.subject.SubjectState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an accepted enrollment writes, in the transaction that accepts it: the subject
 * (new, or found and allowed to enroll again), the attestation spent, the enrollment row,
 * and then either the credential, a place in the issuance queue, or an approval request,
 * each with its audit event and the answer kept for the request's Idempotency-Key.
 */
final class EnrollmentRecords {
  private final CertificateAuthority authority;
  private final Idempotency idempotency;

  EnrollmentRecords(CertificateAuthority authority, Idempotency idempotency) {
    this.authority = authority;
    this.idempotency = idempotency;
  }

  EnrollmentResult awaitApproval(Transaction tx, Issue issue) {
    Subject subject = admit(tx, issue);
    EnrollmentRequest request = issue.request();
    Profile profile = issue.profile();
    String enrollmentId = open(tx, issue, subject, EnrollmentState.AWAITING_APPROVAL);
    Object vouching = issue.proof().claims().get(TokenAttestor.CREATED_BY);
    tx.approvals().add(new Approval(enrollmentId, profile.tenant(), profile.name(),
        subject.id(), subject.externalId(), request.csr(), issue.proof().method(),
        issue.proof().claims(), issue.decision(), request.requestId(),
        issue.claim() == null ? null : issue.claim().key(),
        vouching == null ? "subject" : vouching.toString(), ApprovalState.PENDING,
        issue.now(), issue.now().plus(profile.approvalExpiry()), null, null, null));
    tx.audit().append(new AuditEvent(issue.now(), profile.tenant(), "subject:" + subject.id(),
        "enrollment.awaiting-approval", "enrollment:" + enrollmentId, AuditEvent.SUCCESS,
        null, request.requestId(), Map.of("profile", profile.name(),
            "method", issue.proof().method(), "subject", subject.id(),
            "externalId", subject.externalId(), "roles", issue.decision().roles(),
            "expiresAt", issue.now().plus(profile.approvalExpiry()).toString())));
    return remember(tx, issue, 202, new EnrollmentResult(enrollmentId,
        EnrollmentState.AWAITING_APPROVAL, profile.name(), subject, issue.decision().roles(),
        List.of(), EnrollmentResult.Telemetry.of(profile.tenant(), profile.name(), subject)));
  }

  /** A new enrollment row for the issue, in a state; its id. */
  private static String open(Transaction tx, Issue issue, Subject subject,
      EnrollmentState state) {
    String id = Ids.next();
    Profile profile = issue.profile();
    tx.enrollments().insert(new Enrollment(id, profile.tenant(), profile.name(), subject.id(),
        state, issue.proof().method(), issue.request().requestId(), issue.now(),
        state == EnrollmentState.COMPLETED ? issue.now() : null));
    return id;
  }

  /** Stores the answer for the request's Idempotency-Key, if it has one; the answer. */
  private EnrollmentResult remember(Transaction tx, Issue issue, int status,
      EnrollmentResult result) {
    if (issue.claim() != null) {
      tx.idempotency().complete(issue.claim().tenant(), issue.claim().key(), status,
          idempotency.encode(result));
    }
    return result;
  }

  /** The subject, stored or found, checked, and the attestation spent. */
  private Subject admit(Transaction tx, Issue issue) {
    EnrollmentRequest request = issue.request();
    Profile profile = issue.profile();
    String newId = Ids.next();
    Subject subject = tx.subjects().insertIfAbsent(new Subject(newId,
        profile.tenant(), issue.kind(), request.subject().externalId(), SubjectState.ACTIVE,
        request.subject().attributes(), issue.now()), issue.now().plus(profile.silentAfter()));
    // An existing subject's row lock orders this issuance against a concurrent revocation.
    boolean existing = !subject.id().equals(newId);
    if (existing) {
      checkReenrollment(tx, subject, issue);
    }
    if (subject.state() != SubjectState.ACTIVE
        || existing && !tx.subjects().lockActive(subject.id(), issue.now())) {
      throw new EnrollException(ProblemType.SUBJECT_NOT_ACTIVE,
          "the subject is " + subject.state().wireName() + " and cannot enroll");
    }
    issue.proof().consumption().consume(tx, request.requestId());
    return subject;
  }

  /**
   * Who may enroll a subject that exists. Evidence for any new subject (an unbound token)
   * may not, unless every earlier enrollment of it was denied, expired or failed. Evidence
   * naming this subject (a bound token, a JWT's subject, a device certificate, a device
   * key) may, but other than a bound token (an admin's say) only through the profile and
   * method that enrolled it: a key of another profile cannot take over its identity.
   */
  private static void checkReenrollment(Transaction tx, Subject subject, Issue issue) {
    String method = issue.proof().method();
    boolean live = tx.enrollments().hasLive(subject.id());
    if (!issue.proof().subjectBound() && live) {
      throw new EnrollException(ProblemType.SUBJECT_ALREADY_ENROLLED, "subject "
          + subject.kind().wireName() + "/" + subject.externalId() + " is already enrolled;"
          + " enroll it again with a token bound to it (externalId)");
    }
    if (issue.proof().subjectBound() && live && !TokenAttestor.METHOD.equals(method)
        && !tx.enrollments().enrolledVia(subject.id(), issue.profile().name(), method)) {
      throw new EnrollException(ProblemType.SUBJECT_ALREADY_ENROLLED, "subject "
          + subject.kind().wireName() + "/" + subject.externalId() + " was enrolled through"
          + " another profile or attestation method; only that one, or a join token bound to"
          + " it, enrolls it again");
    }
  }

  EnrollmentResult queue(Transaction tx, Issue issue) {
    Subject subject = admit(tx, issue);
    EnrollmentRequest request = issue.request();
    Profile profile = issue.profile();
    String enrollmentId = open(tx, issue, subject, EnrollmentState.PENDING);
    tx.issuanceQueue().add(new QueuedIssuance(enrollmentId, profile.tenant(), profile.name(),
        subject.id(), request.csr(), issue.proof().method(), issue.proof().claims(),
        request.requestId(), issue.claim() == null ? null : issue.claim().key(), issue.now(),
        issue.decision()));
    tx.audit().append(new AuditEvent(issue.now(), profile.tenant(), "subject:" + subject.id(),
        "enrollment.queued", "enrollment:" + enrollmentId, AuditEvent.SUCCESS,
        ProblemType.SIGNER_UNAVAILABLE.slug(), request.requestId(), Map.of(
            "profile", profile.name(), "method", issue.proof().method(),
            "subject", subject.id(), "externalId", subject.externalId())));
    return remember(tx, issue, 202, new EnrollmentResult(enrollmentId,
        EnrollmentState.PENDING, profile.name(), subject, issue.decision().roles(), List.of(),
        EnrollmentResult.Telemetry.of(profile.tenant(), profile.name(), subject)));
  }

  EnrollmentResult persist(Transaction tx, Issue issue) {
    Subject subject = admit(tx, issue);
    EnrollmentRequest request = issue.request();
    Profile profile = issue.profile();
    String enrollmentId = open(tx, issue, subject, EnrollmentState.COMPLETED);
    IssuedCertificate cert = issue.certificate();
    tx.credentials().insert(Credential.issued(Ids.next(), profile.tenant(),
        subject.id(), enrollmentId, CredentialType.X509, cert.serial(), cert.notBefore(),
        cert.notAfter(), cert.publicKeySha256(), cert.pem(), issue.now(), null));
    tx.audit().append(new AuditEvent(issue.now(), profile.tenant(),
        "subject:" + subject.id(), "enrollment.issued", "credential:" + cert.serial(),
        AuditEvent.SUCCESS, null, request.requestId(), issuedDetails(issue.proof().claims(),
            enrollmentId, profile.name(), issue.proof().method(), subject,
            cert.notAfter(), issue.decision().roles())));

    EnrollmentResult result = new EnrollmentResult(enrollmentId, EnrollmentState.COMPLETED,
        profile.name(), subject, issue.decision().roles(),
        List.of(new EnrollmentResult.IssuedCredential(
            CredentialType.X509.wireName(), cert.serial(), cert.pem(), authority.chainPem(),
            cert.notBefore(), cert.notAfter())),
        EnrollmentResult.Telemetry.of(profile.tenant(), profile.name(), subject));
    return remember(tx, issue, 201, result);
  }

  /** What the issuance event records: the evidence's claims (a token's id), never secrets. */
  static Map<String, Object> issuedDetails(Map<String, Object> claims, String enrollmentId,
      String profile, String method, Subject subject, Instant notAfter, List<String> roles) {
    Map<String, Object> details = new java.util.TreeMap<>(claims);
    if (!roles.isEmpty()) {
      details.put("roles", roles);
    }
    details.put("enrollment", enrollmentId);
    details.put("profile", profile);
    details.put("method", method);
    details.put("subject", subject.id());
    details.put("externalId", subject.externalId());
    details.put("notAfter", notAfter.toString());
    return details;
  }

  /** Everything the issuing transaction needs. */
  record Issue(
      EnrollmentRequest request,
      Profile profile,
      SubjectKind kind,
      VerifiedAttestation proof,
      IssuedCertificate certificate,
      Idempotency.Claim claim,
      Instant now,
      IssuanceDecision decision) {}
}
