package dev.enroll.lifecycle;

import dev.enroll.audit.AuditEvent;
import dev.enroll.authority.CertificateAuthority;
import dev.enroll.authority.CertificateTemplate;
import dev.enroll.authority.CertificationRequestCheck;
import dev.enroll.authority.CheckedRequest;
import dev.enroll.authority.IssuedCertificate;
import dev.enroll.authority.Serial;
import dev.enroll.credential.Credential;
import dev.enroll.credential.CredentialStatus;
import dev.enroll.credential.CredentialType;
import dev.enroll.credential.RevocationEvent;
import dev.enroll.enrollment.Enrollment;
import dev.enroll.enrollment.EnrollmentMetrics;
import dev.enroll.enrollment.EnrollmentResult;
import dev.enroll.enrollment.EnrollmentState;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.profile.NamePolicy.DecidedNames;
import dev.enroll.profile.Profile;
import dev.enroll.profile.ProfileCatalog;
import dev.enroll.store.Ids;
import dev.enroll.store.Store;
import dev.enroll.store.StoreUnavailableException;
import dev.enroll.store.Transaction;
import dev.enroll.subject.Subject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renewal: a subject presents its current certificate (mutual TLS) and a CSR, and gets a new
 * certificate with the same identity; the old one is superseded (or revoked, as the profile
 * says) and the lineage kept.
 *
 * <pre>
 * who (client certificate) -> state -> window -> CSR -> names -> sign
 *   -> one transaction: subject lock + old credential superseded + new credential
 *      + enrollment + audit event
 * </pre>
 *
 * <p>A retry after a lost answer is safe: a superseded certificate that asks again with the
 * key of its successor gets the successor back.
 */
public final class RenewalService {
  /** The method recorded on a renewal's enrollment. */
  public static final String METHOD = "renewal";

  private static final Logger LOG = LoggerFactory.getLogger(RenewalService.class);

  private final Store store;
  private final Supplier<ProfileCatalog> profiles;
  private final CertificationRequestCheck requestCheck;
  private final CertificateAuthority authority;
  private final EnrollmentMetrics metrics;
  private final RevocationListener listener;
  private final Clock clock;

  /**
   * What the renewal use case works with.
   *
   * @param store the store
   * @param profiles the current profiles
   * @param requestCheck the certificate request check
   * @param authority the CA
   * @param metrics where outcomes are counted
   * @param listener told when a renewal revoked the replaced certificate
   * @param clock the clock
   */
  public record Parts(Store store, Supplier<ProfileCatalog> profiles,
      CertificationRequestCheck requestCheck, CertificateAuthority authority,
      EnrollmentMetrics metrics, RevocationListener listener, Clock clock) {}

  /**
   * The renewal use case.
   *
   * @param parts what it works with
   */
  public RenewalService(Parts parts) {
    this.store = parts.store();
    this.profiles = parts.profiles();
    this.requestCheck = parts.requestCheck();
    this.authority = parts.authority();
    this.metrics = parts.metrics();
    this.listener = parts.listener();
    this.clock = parts.clock();
  }

  /**
   * One renewal request.
   *
   * @param presented the TLS client certificate, or null when the client sent none
   * @param csr the CSR, PEM or base64 DER
   * @param requestId the HTTP request's id
   * @param source the client's address
   */
  public record RenewalRequest(
      X509CertificateHolder presented, String csr, String requestId, String source) {}

  /**
   * Renews the presented certificate.
   *
   * @param request the request
   * @return the renewal, as an enrollment with its new credential
   * @throws EnrollException a problem for the client; it has been audited
   */
  public EnrollmentResult renew(RenewalRequest request) {
    long started = System.nanoTime();
    PresentedCredential current = null;
    try {
      current = identify(request);
      EnrollmentResult result = renew(request, current);
      metrics.renewal(current.profile().tenant(), current.profile().name(), "issued", "none",
          since(started));
      return result;
    } catch (StoreUnavailableException e) {
      metrics.renewal(tenantOf(current), profileOf(current), "failed", e.type().slug(),
          since(started));
      throw e;
    } catch (EnrollException e) {
      refused(request, current, e);
      metrics.renewal(tenantOf(current), profileOf(current),
          e.type().status() < 500 ? "refused" : "failed", e.type().slug(), since(started));
      throw e;
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).addKeyValue("requestId", request.requestId())
          .log("renewal failed");
      refused(request, current, new EnrollException(ProblemType.SERVER_ERROR, "internal"));
      metrics.renewal(tenantOf(current), profileOf(current), "failed",
          ProblemType.SERVER_ERROR.slug(), since(started));
      throw e;
    }
  }

  private PresentedCredential identify(RenewalRequest request) {
    return PresentedCredential.resolve(request.presented(), authority, store, profiles);
  }

  private EnrollmentResult renew(RenewalRequest request, PresentedCredential current) {
    Instant now = clock.instant();
    Credential credential = current.credential();
    Profile.Renewal rules = current.profile().renewal();

    // The subject and the credential must still be in good standing.
    checkSubject(current.subject());
    CheckedRequest csr = requestCheck.check(request.csr(), current.profile().keyTypes());
    boolean renewedBefore = credential.status() == CredentialStatus.SUPERSEDED
        || credential.status() == CredentialStatus.REVOKED
            && RevocationReason.SUPERSEDED.rfcName().equals(credential.revocationReason());
    if (renewedBefore) {
      return replayOrRefuse(current, csr);
    }
    checkCredential(credential);

    // The window: from notAfter - window until notAfter (+ grace).
    Instant opens = credential.notAfter().minus(rules.window());
    if (now.isBefore(opens)) {
      throw new EnrollException(ProblemType.RENEWAL_TOO_EARLY, "the renewal window opens at "
          + opens).with("renewableFrom", opens.toString());
    }
    if (!now.isBefore(credential.notAfter().plus(rules.gracePeriod()))) {
      throw new EnrollException(ProblemType.RENEWAL_EXPIRED, "the certificate expired at "
          + credential.notAfter() + (rules.gracePeriod().isZero() ? ""
          : " and its grace period ended") + "; enroll again");
    }

    // The names: the current identity, unless the profile lets a renewal change them.
    DecidedNames names = rules.allowNameChange()
        ? current.profile().names().decide(current.profile().name(), csr,
            current.subject().externalId())
        : RenewalNames.sameIdentity(current.certificate(), csr);

    // Sign, then store it all in one transaction.
    Profile profile = current.profile();
    IssuedCertificate certificate = authority.issue(new CertificateTemplate(names.subject(),
        names.alternativeNames(), csr.publicKeyInfo(), profile.validity(),
        profile.keyUsageFor(csr.keyType()), profile.extendedKeyUsage()));
    List<RevocationEvent> changes = new ArrayList<>();
    long started = System.nanoTime();
    EnrollmentResult result = store.transact(tx -> {
      changes.clear();
      return persist(tx, request, current, certificate, now, changes);
    });
    if (!changes.isEmpty()) {
      listener.changed(List.copyOf(changes), started);
    }
    return result;
  }

  private EnrollmentResult persist(Transaction tx, RenewalRequest request,
      PresentedCredential current, IssuedCertificate certificate, Instant now,
      List<RevocationEvent> changes) {
    Credential old = current.credential();
    Subject subject = current.subject();
    Profile profile = current.profile();
    boolean revokeOld = profile.renewal().revokeOnRenew();

    // The subject's row lock orders this against a concurrent revocation of the subject.
    if (!tx.subjects().lockActive(subject.id(), now)) {
      checkSubject(tx.subjects().findById(null, subject.id()).orElseThrow());
    }
    CredentialStatus to = revokeOld ? CredentialStatus.REVOKED : CredentialStatus.SUPERSEDED;
    if (!tx.credentials().changeStatus(old.id(), old.status(), to, now,
        RevocationReason.SUPERSEDED.rfcName())) {
      throw new EnrollException(ProblemType.CREDENTIAL_SUPERSEDED,
          "the certificate changed status meanwhile (renewed or revoked); do not renew it"
              + " twice at once");
    }

    String enrollmentId = Ids.next();
    tx.enrollments().insert(new Enrollment(enrollmentId, profile.tenant(), profile.name(),
        subject.id(), EnrollmentState.COMPLETED, METHOD, request.requestId(), now, now));
    tx.credentials().insert(Credential.issued(Ids.next(), profile.tenant(), subject.id(),
        enrollmentId, CredentialType.X509, certificate.serial(), certificate.notBefore(),
        certificate.notAfter(), certificate.publicKeySha256(), certificate.pem(), now,
        old.id()));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("enrollment", enrollmentId);
    details.put("profile", profile.name());
    details.put("replaces", old.serial());
    details.put("keyChanged", !certificate.publicKeySha256().equals(old.publicKeySha256()));
    details.put("notAfter", certificate.notAfter().toString());
    tx.audit().append(new AuditEvent(now, profile.tenant(), "subject:" + subject.id(),
        "credential.renewed", "credential:" + certificate.serial(), AuditEvent.SUCCESS, null,
        request.requestId(), details));
    if (revokeOld) {
      changes.add(Lifecycle.recordRevocation(tx, old, RevocationReason.SUPERSEDED, now,
          new Lifecycle.Actor("subject:" + subject.id(), null, request.requestId())));
    }
    return result(enrollmentId, profile, subject, certificate.serial(), certificate.pem(),
        certificate.notBefore(), certificate.notAfter());
  }

  /**
   * A certificate renewed before, asking again with its successor's key and names (a retry
   * after a lost answer), gets the successor; anything else is refused, naming the newest
   * certificate of the lineage.
   */
  private EnrollmentResult replayOrRefuse(PresentedCredential current, CheckedRequest csr) {
    String key = CertificateAuthority.publicKeySha256(csr.publicKeyInfo());
    List<Credential> lineage = store.transact(tx -> {
      List<Credential> later = new ArrayList<>();
      for (var next = tx.credentials().replacementOf(current.credential().id());
          next.isPresent() && later.size() < 1000;
          next = tx.credentials().replacementOf(next.get().id())) {
        later.add(next.get());
      }
      return later;
    });
    Credential successor = lineage.isEmpty() ? null : lineage.get(0);
    if (successor != null && successor.status() == CredentialStatus.ACTIVE
        && successor.publicKeySha256().equals(key)) {
      if (!current.profile().renewal().allowNameChange()) {
        RenewalNames.sameIdentity(current.certificate(), csr);
      }
      return result(successor.enrollmentId(), current.profile(), current.subject(),
          successor.serial(), successor.encoded(), successor.notBefore(),
          successor.notAfter());
    }
    Credential newest = lineage.isEmpty() ? null : lineage.get(lineage.size() - 1);
    throw new EnrollException(ProblemType.CREDENTIAL_SUPERSEDED, "the certificate was"
        + " already renewed" + (newest == null ? "" : "; renew serial "
        + newest.serial() + " instead"));
  }

  private EnrollmentResult result(String enrollmentId, Profile profile, Subject subject,
      String serial, String pem, Instant notBefore, Instant notAfter) {
    return new EnrollmentResult(enrollmentId, EnrollmentState.COMPLETED, profile.name(),
        subject, List.of(), List.of(new EnrollmentResult.IssuedCredential(
            CredentialType.X509.wireName(), serial, pem, authority.chainPem(), notBefore,
            notAfter)),
        EnrollmentResult.Telemetry.of(profile.tenant(), profile.name(), subject));
  }

  private static void checkSubject(Subject subject) {
    switch (subject.state()) {
      case QUARANTINED:
        throw new EnrollException(ProblemType.SUBJECT_QUARANTINED, "the subject is"
            + " quarantined; an admin must reinstate it before it renews");
      case REVOKED:
        throw new EnrollException(ProblemType.SUBJECT_REVOKED, "the subject is revoked");
      case OFFBOARDED:
        throw new EnrollException(ProblemType.SUBJECT_OFFBOARDED, "the subject is offboarded");
      default:
        break;
    }
  }

  private static void checkCredential(Credential credential) {
    if (credential.status() == CredentialStatus.REVOKED) {
      throw new EnrollException(ProblemType.CREDENTIAL_REVOKED, "the certificate was revoked"
          + " at " + credential.revokedAt());
    }
    if (credential.status() == CredentialStatus.ON_HOLD) {
      throw new EnrollException(ProblemType.SUBJECT_QUARANTINED, "the certificate is on"
          + " hold");
    }
  }

  private void refused(RenewalRequest request, PresentedCredential current,
      EnrollException problem) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("source", request.source() == null ? "-" : request.source());
    if (current != null) {
      details.put("profile", current.profile().name());
    }
    String actor = current == null ? "anonymous" : "subject:" + current.subject().id();
    String target = request.presented() == null ? "credential:-"
        : "credential:" + Serial.format(request.presented().getSerialNumber());
    AuditEvent event = new AuditEvent(clock.instant(), tenantOf(current), actor,
        "renewal.refused", target, problem.type().status() < 500 ? AuditEvent.REFUSED
        : AuditEvent.FAILED, problem.type().slug(), request.requestId(), details);
    store.transact(tx -> {
      tx.audit().append(event);
      return null;
    });
  }

  private static String tenantOf(PresentedCredential current) {
    return current == null ? "unknown" : current.profile().tenant();
  }

  private static String profileOf(PresentedCredential current) {
    return current == null ? "unknown" : current.profile().name();
  }

  private static Duration since(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }
}
