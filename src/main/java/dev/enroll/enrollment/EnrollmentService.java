package dev.enroll.enrollment;

import dev.enroll.anomaly.Anomalies;
import dev.enroll.anomaly.AnomalySettings;
import dev.enroll.attestation.AttestationRequest;
import dev.enroll.attestation.AttestorRegistry;
import dev.enroll.attestation.VerifiedAttestation;
import dev.enroll.audit.AuditEvent;
import dev.enroll.authority.CertificateAuthority;
import dev.enroll.authority.CertificateTemplate;
import dev.enroll.authority.CertificationRequestCheck;
import dev.enroll.authority.CheckedRequest;
import dev.enroll.authority.IssuedCertificate;
import dev.enroll.authority.SignerUnavailableException;
import dev.enroll.enrollment.EnrollmentRecords.Issue;
import dev.enroll.policy.PolicyDecision;
import dev.enroll.policy.PolicyInput;
import dev.enroll.policy.PolicyMetrics;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.Printable;
import dev.enroll.problem.ProblemType;
import dev.enroll.profile.NamePolicy.DecidedNames;
import dev.enroll.profile.Profile;
import dev.enroll.profile.ProfileCatalog;
import dev.enroll.store.Store;
import dev.enroll.store.StoreUnavailableException;
import dev.enroll.subject.Subject;
import dev.enroll.subject.SubjectKind;
import dev.enroll.subject.SubjectState;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enrollment use case: one request from receipt to answer.
 *
 * <pre>
 * idempotency -> profile -> limits -> attest -> policy -> check CSR -> names
 *   -> approval (waits) | sign -> one transaction (EnrollmentRecords): subject,
 *      attestation spent, enrollment, credential or queue entry, audit event
 * </pre>
 *
 * <p>Every refusal ends in an audit event with its reason code, written in a transaction of
 * its own; nothing else of a refused request is stored.
 */
public final class EnrollmentService {
  private static final Logger LOG = LoggerFactory.getLogger(EnrollmentService.class);

  private final Store store;
  private final Supplier<ProfileCatalog> profiles;
  private final AttestorRegistry attestors;
  private final CertificationRequestCheck requestCheck;
  private final CertificateAuthority authority;
  private final EnrollmentMetrics metrics;
  private final Clock clock;
  private final Idempotency idempotency;
  private final PolicyMetrics policyMetrics;
  private final EnrollmentRecords records;
  private Tracer tracer = OpenTelemetry.noop().getTracer("dev.enroll");
  private Anomalies anomalies;
  private SurgeQuarantine quarantine = (subjectId, requestId) -> { };

  /** Quarantines a subject enrolled during a surge, once its enrollment is committed. */
  @FunctionalInterface
  public interface SurgeQuarantine {
    /**
     * Quarantines the subject.
     *
     * @param subjectId the subject
     * @param requestId the enrollment's request
     */
    void quarantine(String subjectId, String requestId);
  }

  /**
   * Watches for enrollment surges: a profile with {@code anomaly} settings sends the
   * requests of a surging network to approval, or has them quarantined, as it says.
   *
   * @param anomalies the surge detection
   * @param quarantine quarantines a subject enrolled during a surge
   * @return this service
   */
  public EnrollmentService watching(Anomalies anomalies, SurgeQuarantine quarantine) {
    this.anomalies = anomalies;
    this.quarantine = quarantine;
    return this;
  }

  /**
   * The enrollment use case.
   *
   * @param store the store
   * @param profiles the current profiles (the supplier may change them on reload)
   * @param attestors the attestation methods
   * @param requestCheck the certificate request check
   * @param authority the CA
   * @param metrics where outcomes are counted
   * @param policyMetrics where policy decisions are counted
   * @param clock the clock
   */
  public EnrollmentService(
      Store store, Supplier<ProfileCatalog> profiles, AttestorRegistry attestors,
      CertificationRequestCheck requestCheck, CertificateAuthority authority,
      EnrollmentMetrics metrics, PolicyMetrics policyMetrics, Clock clock) {
    this.store = store;
    this.profiles = profiles;
    this.attestors = attestors;
    this.requestCheck = requestCheck;
    this.authority = authority;
    this.metrics = metrics;
    this.clock = clock;
    this.idempotency = new Idempotency(store, clock, metrics);
    this.policyMetrics = policyMetrics;
    this.records = new EnrollmentRecords(authority, idempotency);
  }

  /**
   * Traces each enrollment: a span {@code enroll} with one child per step
   * ({@code enroll.limits}, {@code enroll.attest}, {@code enroll.policy},
   * {@code enroll.approval}, {@code enroll.sign}, {@code enroll.store}), carrying tenant,
   * profile, method and outcome; never evidence or secrets.
   *
   * @param tracer where spans go
   * @return this service
   */
  public EnrollmentService traced(Tracer tracer) {
    this.tracer = tracer;
    return this;
  }

  /**
   * Enrolls a subject.
   *
   * @param request the request as received
   * @return the enrollment with its credentials
   * @throws EnrollException a problem for the client; it has been audited
   */
  public EnrollmentResult enroll(EnrollmentRequest request) {
    long started = System.nanoTime();
    Optional<Profile> profile = profiles.get().find(request.tenant(), request.profile());
    String tenantLabel = profile.map(Profile::tenant).orElse("unknown");
    String profileLabel = profile.map(Profile::name).orElse("unknown");
    Span span = tracer.spanBuilder("enroll").setSpanKind(SpanKind.INTERNAL)
        .setAttribute("enroll.tenant", tenantLabel)
        .setAttribute("enroll.profile", profileLabel)
        .setAttribute("enroll.request_id", request.requestId())
        .startSpan();
    Outcome outcome = new Outcome(span, tenantLabel, profileLabel, started);
    Idempotency.Claim claim = null;
    try (Scope scope = span.makeCurrent()) {
      if (request.attestation() != null && request.attestation().type() != null) {
        span.setAttribute("enroll.method", label(request.attestation().type()));
      }
      // A request for no known profile is refused before it can claim a key.
      if (request.idempotencyKey() != null && profile.isPresent()) {
        claim = idempotency.claim(request);
        if (claim.replay() != null) {
          outcome.end("replayed", "none", false);
          return idempotency.replay(claim.replay());
        }
      }
      EnrollmentResult result = process(request, profile, claim);
      if (result.status() == EnrollmentState.PENDING) {
        outcome.end("queued", ProblemType.SIGNER_UNAVAILABLE.slug(), true);
      } else if (result.status() == EnrollmentState.AWAITING_APPROVAL) {
        outcome.end("awaiting_approval", "none", true);
      } else {
        outcome.end("issued", "none", true);
      }
      return result;
    } catch (Idempotency.ReplayedProblem replayed) {
      throw replayed.problem();
    } catch (StoreUnavailableException e) {
      // Nothing was accepted, and with the store gone no refusal can be written either.
      outcome.end("failed", e.type().slug(), true);
      throw e;
    } catch (EnrollException e) {
      boolean refused = e.type().status() < 500;
      record(request, e, refused ? claim : null);
      if (!refused && claim != null) {
        release(claim);
      }
      outcome.end(refused ? "refused" : "failed", e.type().slug(), true);
      throw e;
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).addKeyValue("requestId", request.requestId())
          .log("enrollment failed");
      record(request, new EnrollException(ProblemType.SERVER_ERROR, "internal error"), null);
      if (claim != null) {
        release(claim);
      }
      outcome.end("failed", ProblemType.SERVER_ERROR.slug(), true);
      throw e;
    } finally {
      span.end();
    }
  }

  /** How one enrollment ended: counted, and written on its span. */
  private final class Outcome {
    private final Span span;
    private final String tenant;
    private final String profile;
    private final long started;

    Outcome(Span span, String tenant, String profile, long started) {
      this.span = span;
      this.tenant = tenant;
      this.profile = profile;
      this.started = started;
    }

    void end(String outcome, String reason, boolean counted) {
      span.setAttribute("enroll.outcome", outcome);
      span.setAttribute("enroll.reason", reason);
      if (!"issued".equals(outcome) && !"queued".equals(outcome)
          && !"awaiting_approval".equals(outcome) && !"replayed".equals(outcome)) {
        span.setStatus(StatusCode.ERROR, reason);
      }
      if (counted) {
        metrics.enrollment(tenant, profile, outcome, reason, since(started));
      }
    }
  }

  /** A step of the enrollment in a child span; a refusal marks the span. */
  private <T> T step(String name, Supplier<T> work) {
    Span span = tracer.spanBuilder(name).startSpan();
    try (Scope scope = span.makeCurrent()) {
      return work.get();
    } catch (EnrollException e) {
      span.setAttribute("enroll.reason", e.type().slug());
      span.setStatus(StatusCode.ERROR, e.type().slug());
      throw e;
    } finally {
      span.end();
    }
  }

  /** A client-given method name fit for a span attribute. */
  private static String label(String text) {
    return safe(text, 32);
  }

  /**
   * Audits and counts a request refused before it could be read (wrong media type, too
   * large, not JSON), so that every refusal leaves its audit event.
   *
   * @param requestId the request's id
   * @param source the client's address
   * @param problem the refusal
   */
  public void refuseUnread(String requestId, String source, EnrollException problem) {
    EnrollmentRequest unread = new EnrollmentRequest(
        "-", null, null, null, null, null, requestId, source, null);
    record(unread, problem, null);
    metrics.enrollment("unknown", "unknown", "refused", problem.type().slug(), Duration.ZERO);
  }

  private EnrollmentResult process(
      EnrollmentRequest request, Optional<Profile> found, Idempotency.Claim claim) {
    Instant now = clock.instant();

    // Profile and subject.
    Profile profile = found.orElseThrow(() -> new EnrollException(ProblemType.PROFILE_UNKNOWN,
        "tenant '" + request.tenant() + "' has no profile '" + request.profile() + "'"));
    Limits limits = step("enroll.limits", () -> new Limits(
        SubjectClaims.check(profile, request.subject()), anomalies == null ? null
            : anomalies.check(profile.tenant(), profile.name(), profile.anomaly(),
                request.source(), request.requestId())));
    SubjectKind kind = limits.kind();
    AnomalySettings.Action surge = limits.surge();
    String externalId = request.subject().externalId();
    if (surge != null) {
      Span.current().setAttribute("enroll.surge", surge.wireName());
    }

    // Attestation: who the subject is.
    EnrollmentRequest.Evidence evidence = request.attestation();
    if (evidence == null || evidence.type() == null) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED,
          "the request needs an attestation with a type");
    }
    VerifiedAttestation proof = step("enroll.attest", () -> attestors
        .forMethod(evidence.type(), profile.attestation())
        .attest(new AttestationRequest(profile, kind.wireName(), externalId, evidence.fields(),
            now, request.clientCertificates())));

    // Policy: whether the subject enrolls, what it gets; the key and the names.
    PolicyDecision decision = step("enroll.policy", () -> decide(request, profile, kind,
        proof, now));
    PolicyDecision policy = surge == AnomalySettings.Action.APPROVAL
        && decision.outcome() == PolicyDecision.Outcome.ALLOW
        ? new PolicyDecision(PolicyDecision.Outcome.APPROVAL, null, decision.roles(),
            decision.names(), decision.validity())
        : decision;
    IssuanceDecision decided = IssuanceDecision.of(policy);
    CheckedRequest csr = requestCheck.check(request.csr(), profile.keyTypes());
    DecidedNames names = profile.names().decide(profile.name(), csr, externalId,
        decided.names());

    // A person decides; the request waits, with everything else checked and spent.
    if (policy.outcome() == PolicyDecision.Outcome.APPROVAL) {
      Issue waiting = new Issue(request, profile, kind, proof, null, claim, now, decided);
      return step("enroll.approval", () -> store.transactGrouped(tx ->
          records.awaitApproval(tx, waiting)));
    }

    // Sign; with the signer down, the enrollment is accepted into the durable queue.
    IssuedCertificate certificate;
    try {
      certificate = step("enroll.sign", () -> authority.issue(new CertificateTemplate(
          names.subject(), names.alternativeNames(), csr.publicKeyInfo(),
          decided.validity(profile.validity()), profile.keyUsageFor(csr.keyType()),
          profile.extendedKeyUsage())));
    } catch (SignerUnavailableException down) {
      Issue pending = new Issue(request, profile, kind, proof, null, claim, now, decided);
      return step("enroll.store", () -> store.transactGrouped(tx ->
          records.queue(tx, pending)));
    }

    // Store: everything in one transaction, or nothing.
    Issue issue = new Issue(request, profile, kind, proof, certificate, claim, now, decided);
    EnrollmentResult stored = step("enroll.store", () -> store.transactGrouped(tx ->
        records.persist(tx, issue)));
    if (surge == AnomalySettings.Action.QUARANTINE) {
      // Issued, and held at once: relying parties see certificateHold until an admin
      // reinstates the subject.
      quarantine.quarantine(stored.subject().id(), request.requestId());
      Subject held = stored.subject();
      return new EnrollmentResult(stored.id(), stored.status(), stored.profile(),
          new Subject(held.id(), held.tenant(), held.kind(), held.externalId(),
              SubjectState.QUARANTINED, held.attributes(), held.createdAt()),
          stored.roles(), stored.credentials(), stored.telemetry());
    }
    return stored;
  }

  private PolicyDecision decide(EnrollmentRequest request, Profile profile, SubjectKind kind,
      VerifiedAttestation proof, Instant now) {
    PolicyDecision decision = profile.policy().decide(PolicyInput.of(proof.policyClaims(),
        kind.wireName(), request.subject().externalId(), request.subject().attributes(),
        profile.tenant(), profile.name(), proof.method(), request.source(), now));
    policyMetrics.decided(profile.tenant(), profile.name(), decision.outcome());
    switch (decision.outcome()) {
      case DENY:
        throw new EnrollException(ProblemType.POLICY_DENIED, decision.reason());
      case ERROR:
        // The cause names the policy's expressions: the operator's, not the client's.
        LOG.atWarn().addKeyValue("requestId", request.requestId())
            .addKeyValue("tenant", profile.tenant()).addKeyValue("profile", profile.name())
            .addKeyValue("cause", decision.reason())
            .log("policy evaluation failed; refused");
        throw new EnrollException(ProblemType.POLICY_FAILED, "the profile's policy could not"
            + " decide this request, so it is refused; the operator finds why in the log"
            + " under this request's id");
      default:
        return decision;
    }
  }

  private void record(EnrollmentRequest request, EnrollException problem,
      Idempotency.Claim claim) {
    LOG.atDebug().addKeyValue("requestId", request.requestId())
        .addKeyValue("reason", problem.type().slug())
        .log("enrollment refused");
    AuditEvent event = new AuditEvent(clock.instant(), safe(request.tenant(), 64), "anonymous",
        "enrollment.refused", target(request),
        problem.type().status() < 500 ? AuditEvent.REFUSED : AuditEvent.FAILED,
        problem.type().slug(), request.requestId(), refusalDetails(request));
    store.transact(tx -> {
      tx.audit().append(event);
      if (claim != null) {
        tx.idempotency().complete(claim.tenant(), claim.key(), problem.type().status(),
            idempotency.encode(problem));
      }
      return null;
    });
  }

  private void release(Idempotency.Claim claim) {
    try {
      store.transact(tx -> {
        tx.idempotency().release(claim.tenant(), claim.key());
        return null;
      });
    } catch (RuntimeException e) {
      LOG.atWarn().setCause(e).log("idempotency claim not released; it expires by itself");
    }
  }

  private static Map<String, Object> refusalDetails(EnrollmentRequest request) {
    Map<String, Object> details = new java.util.LinkedHashMap<>();
    details.put("profile", safe(request.profile(), 64));
    details.put("source", safe(request.source(), 64));
    if (request.attestation() != null) {
      details.put("method", safe(request.attestation().type(), 32));
    }
    return details;
  }

  private static String target(EnrollmentRequest request) {
    EnrollmentRequest.SubjectClaim subject = request.subject();
    if (subject == null) {
      return "subject:-";
    }
    return "subject:" + safe(subject.kind(), 16) + "/" + safe(subject.externalId(), 128);
  }

  /** Client text fit for an audit column: printable ASCII, cut to the column's size. */
  private static String safe(String text, int max) {
    if (text == null) {
      return "-";
    }
    return Printable.cut(text, max);
  }

  private static Duration since(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** What the limits step found: the subject's kind, and the surge action, if any. */
  private record Limits(SubjectKind kind, AnomalySettings.Action surge) {}

}
