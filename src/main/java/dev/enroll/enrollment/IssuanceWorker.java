package dev.enroll.enrollment;

import dev.enroll.audit.AuditEvent;
import dev.enroll.authority.CertificateAuthority;
import dev.enroll.authority.CertificateTemplate;
import dev.enroll.authority.CertificationRequestCheck;
import dev.enroll.authority.CheckedRequest;
import dev.enroll.authority.IssuedCertificate;
import dev.enroll.authority.SignerUnavailableException;
import dev.enroll.credential.Credential;
import dev.enroll.credential.CredentialType;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.profile.NamePolicy.DecidedNames;
import dev.enroll.profile.Profile;
import dev.enroll.profile.ProfileCatalog;
import dev.enroll.store.Ids;
import dev.enroll.store.Store;
import dev.enroll.store.Transaction;
import dev.enroll.subject.Subject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes enrollments accepted while the signer was down. Runs on every node: each takes
 * the oldest queued enrollment no other holds ({@code FOR UPDATE SKIP LOCKED}), signs it and
 * stores the certificate in the same transaction that removes it from the queue, so a node
 * killed half-way leaves it queued for the next, and none is issued twice.
 */
public final class IssuanceWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IssuanceWorker.class);

  private final Store store;
  private final Supplier<ProfileCatalog> profiles;
  private final CertificationRequestCheck requestCheck;
  private final CertificateAuthority authority;
  private final QueueMetrics metrics;
  private final EnrollmentMetrics enrollmentMetrics;
  private final Clock clock;
  private final Idempotency idempotency;
  private final ScheduledExecutorService executor;

  /**
   * A worker; call {@link #start(Duration)}.
   *
   * @param store the store
   * @param profiles the current profiles
   * @param requestCheck the certificate request check
   * @param authority the CA
   * @param metrics where the queue depth goes
   * @param enrollmentMetrics where the time to enroll goes
   * @param clock the clock
   */
  public IssuanceWorker(Store store, Supplier<ProfileCatalog> profiles,
      CertificationRequestCheck requestCheck, CertificateAuthority authority,
      QueueMetrics metrics, EnrollmentMetrics enrollmentMetrics, Clock clock) {
    this.store = store;
    this.profiles = profiles;
    this.requestCheck = requestCheck;
    this.authority = authority;
    this.metrics = metrics;
    this.enrollmentMetrics = enrollmentMetrics;
    this.clock = clock;
    this.idempotency = new Idempotency(store, clock, EnrollmentMetrics.NONE);
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "enroll-issuance-queue");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Looks at the queue every interval.
   *
   * @param interval the time between looks
   */
  public void start(Duration interval) {
    executor.scheduleWithFixedDelay(this::drainSafely, 0, interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void drainSafely() {
    try {
      int done = 0;
      while (completeOne()) {
        done++;
      }
      if (done > 0) {
        LOG.atInfo().addKeyValue("completed", done).log("queued enrollments completed");
      }
    } catch (SignerUnavailableException e) {
      LOG.atDebug().log("signer still unavailable; the queue waits");
    } catch (RuntimeException e) {
      LOG.atWarn().setCause(e).log("issuance queue round failed; the next one retries");
    } finally {
      try {
        metrics.depth("issuance", store.transact(tx -> tx.issuanceQueue().depth()));
      } catch (RuntimeException e) {
        LOG.atDebug().setCause(e).log("queue depth unknown");
      }
    }
  }

  /**
   * Completes the oldest free queued enrollment.
   *
   * @return whether there was one
   * @throws SignerUnavailableException when the signer is still down (nothing changes)
   */
  boolean completeOne() {
    return store.transact(tx -> tx.issuanceQueue().takeNext()
        .map(queued -> {
          complete(tx, queued);
          return true;
        }).orElse(false));
  }

  private void complete(Transaction tx, QueuedIssuance q) {
    Instant now = clock.instant();
    Subject subject = tx.subjects().findById(null, q.subjectId()).orElseThrow();
    Profile profile = profiles.get().find(q.tenant(), q.profile()).orElse(null);
    if (profile == null) {
      fail(tx, q, subject, new EnrollException(ProblemType.PROFILE_UNKNOWN, "the profile '"
          + q.profile() + "' no longer exists"), now);
      return;
    }
    if (!tx.subjects().lockActive(subject.id(), now)) {
      fail(tx, q, subject, new EnrollException(ProblemType.SUBJECT_NOT_ACTIVE, "the subject"
          + " is no longer active"), now);
      return;
    }
    CheckedRequest csr;
    DecidedNames names;
    try {
      csr = requestCheck.check(q.csr(), profile.keyTypes());
      names = profile.names().decide(profile.name(), csr, subject.externalId(),
          q.decision().names());
    } catch (EnrollException refused) {
      // The profile changed while the enrollment waited.
      fail(tx, q, subject, refused, now);
      return;
    }

    IssuedCertificate cert = authority.issue(new CertificateTemplate(names.subject(),
        names.alternativeNames(), csr.publicKeyInfo(), q.decision().validity(profile.validity()),
        profile.keyUsageFor(csr.keyType()), profile.extendedKeyUsage()));
    tx.credentials().insert(Credential.issued(Ids.next(), profile.tenant(), subject.id(),
        q.enrollmentId(), CredentialType.X509, cert.serial(), cert.notBefore(),
        cert.notAfter(), cert.publicKeySha256(), cert.pem(), now, null));
    tx.enrollments().finish(q.enrollmentId(), EnrollmentState.COMPLETED, now);
    Map<String, Object> details = EnrollmentRecords.issuedDetails(q.claims(),
        q.enrollmentId(), profile.name(), q.method(), subject, cert.notAfter(),
        q.decision().roles());
    details.put("queuedAt", q.queuedAt().toString());
    tx.audit().append(new AuditEvent(now, profile.tenant(), "subject:" + subject.id(),
        "enrollment.issued", "credential:" + cert.serial(), AuditEvent.SUCCESS, null,
        q.requestId(), details));
    if (q.idempotencyKey() != null) {
      EnrollmentResult result = new EnrollmentResult(q.enrollmentId(),
          EnrollmentState.COMPLETED, profile.name(), subject, q.decision().roles(), List.of(
              new EnrollmentResult.IssuedCredential(CredentialType.X509.wireName(),
                  cert.serial(), cert.pem(), authority.chainPem(), cert.notBefore(),
                  cert.notAfter())),
          EnrollmentResult.Telemetry.of(profile.tenant(), profile.name(), subject));
      tx.idempotency().resolve(q.tenant(), q.idempotencyKey(), 201,
          idempotency.encode(result));
    }
    tx.issuanceQueue().remove(q.enrollmentId());

    // Time to enroll counts the wait: for the signer, or for a person's approval.
    Instant asked = tx.approvals().find(null, q.enrollmentId())
        .map(dev.enroll.approval.Approval::createdAt).orElse(null);
    enrollmentMetrics.completed(profile.tenant(), profile.name(),
        asked != null ? "approval" : "queued",
        java.time.Duration.between(asked != null ? asked : q.queuedAt(), now));
  }

  private void fail(Transaction tx, QueuedIssuance q, Subject subject,
      EnrollException problem, Instant now) {
    tx.enrollments().finish(q.enrollmentId(), EnrollmentState.FAILED, now);
    tx.audit().append(new AuditEvent(now, q.tenant(), "subject:" + subject.id(),
        "enrollment.refused", "enrollment:" + q.enrollmentId(), AuditEvent.REFUSED,
        problem.type().slug(), q.requestId(), Map.of("profile", q.profile(),
            "queuedAt", q.queuedAt().toString())));
    if (q.idempotencyKey() != null) {
      tx.idempotency().resolve(q.tenant(), q.idempotencyKey(), problem.type().status(),
          idempotency.encode(problem));
    }
    tx.issuanceQueue().remove(q.enrollmentId());
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
