package dev.enroll.http;

import dev.enroll.attestation.Nonces;
import dev.enroll.enrollment.EnrollmentRequest;
import dev.enroll.enrollment.EnrollmentResult;
import dev.enroll.enrollment.EnrollmentState;
import dev.enroll.enrollment.EnrollmentService;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import io.javalin.Javalin;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /v1/enrollments}: the enrollment API for subjects. */
public final class EnrollmentEndpoints {
  private static final int RETRY_AFTER_SECONDS = 10;

  /** The tenant a request names when it names none. */
  public static final String DEFAULT_TENANT = "default";

  private final EnrollmentService service;
  private final Bodies bodies;
  private final Nonces nonces;
  private final TextMapPropagator propagator;

  /**
   * The endpoints.
   *
   * @param service the enrollment use case
   * @param bodies the body reader
   * @param nonces the server nonces devices prove their keys with
   * @param propagator reads a client's trace context ({@code traceparent}), so that the
   *     enrollment's spans join the client's trace
   */
  public EnrollmentEndpoints(EnrollmentService service, Bodies bodies, Nonces nonces,
      TextMapPropagator propagator) {
    this.service = service;
    this.bodies = bodies;
    this.nonces = nonces;
    this.propagator = propagator;
  }

  private static final TextMapGetter<Context> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Context ctx) {
      return ctx.headerMap().keySet();
    }

    @Override
    public String get(Context ctx, String key) {
      return ctx == null ? null : ctx.header(key);
    }
  };

  /**
   * Adds the routes.
   *
   * @param app the HTTPS application
   */
  public void register(Javalin app) {
    app.post("/v1/enrollments", this::enroll);
    app.post("/v1/nonces", this::nonce);
  }

  /** A nonce for a device to sign or MAC; {@code ?tenant=} (default {@code default}). */
  private void nonce(Context ctx) {
    String tenant = ctx.queryParam("tenant");
    if (tenant != null && !tenant.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED, "tenant is not a tenant name");
    }
    ctx.status(201);
    ctx.header("Cache-Control", "no-store");
    ctx.json(nonces.issue(tenant == null ? DEFAULT_TENANT : tenant, ctx.ip()));
  }

  private void enroll(Context ctx) {
    EnrollmentRequest request;
    try {
      request = request(ctx, bodies.read(ctx, EnrollmentBody.class));
    } catch (EnrollException unreadable) {
      service.refuseUnread(RequestIds.of(ctx), ctx.ip(), unreadable);
      throw unreadable;
    }

    EnrollmentResult result;
    try (Scope scope = propagator.extract(io.opentelemetry.context.Context.root(), ctx,
        HEADERS).makeCurrent()) {
      result = service.enroll(request);
    }
    ctx.header("Location", "/v1/enrollments/" + result.id());
    if (result.status() == EnrollmentState.PENDING
        || result.status() == EnrollmentState.AWAITING_APPROVAL) {
      // Accepted and stored; the certificate follows when the signer is back or a person
      // approves. The client polls Location, or retries with the same Idempotency-Key.
      ctx.status(202);
      ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    } else {
      ctx.status(201);
    }
    ctx.json(result);
  }

  /** The request a readable body makes, or the refusal of a body that lacks what it needs. */
  private static EnrollmentRequest request(Context ctx, EnrollmentBody body) {
    Map<String, Object> attestation =
        body.attestation() == null ? null : new LinkedHashMap<>(body.attestation());
    EnrollmentRequest.Evidence evidence = null;
    if (attestation != null) {
      Object type = attestation.remove("type");
      if (type != null && !(type instanceof String)) {
        throw new EnrollException(ProblemType.REQUEST_MALFORMED,
            "attestation.type must be a string");
      }
      evidence = new EnrollmentRequest.Evidence((String) type, attestation);
    }
    if (body.profile() == null) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED, "the request needs a profile");
    }
    EnrollmentRequest.SubjectClaim subject = body.subject() == null ? null
        : new EnrollmentRequest.SubjectClaim(body.subject().kind(),
            body.subject().externalId(), body.subject().attributes());
    return new EnrollmentRequest(
        body.tenant() == null ? DEFAULT_TENANT : body.tenant(), body.profile(), subject,
        evidence, body.csr(), ctx.header("Idempotency-Key"), RequestIds.of(ctx), ctx.ip(),
        clientChain(ctx));
  }

  /** The chain the client presented in the TLS handshake, or empty. */
  private static java.util.List<java.security.cert.X509Certificate> clientChain(Context ctx) {
    Object chain = ctx.req().getAttribute("jakarta.servlet.request.X509Certificate");
    return chain instanceof java.security.cert.X509Certificate[]
        ? java.util.List.of((java.security.cert.X509Certificate[]) chain)
        : java.util.List.of();
  }

  /**
   * The JSON body of an enrollment request.
   *
   * @param tenant the tenant, default {@code default}
   * @param profile the profile
   * @param subject the subject
   * @param attestation the evidence: {@code type} and the method's fields
   * @param csr the PKCS#10 request
   */
  public record EnrollmentBody(
      String tenant,
      String profile,
      SubjectBody subject,
      Map<String, Object> attestation,
      String csr) {}

  /**
   * The subject in an enrollment request.
   *
   * @param kind the kind
   * @param externalId the external id
   * @param attributes string attributes
   */
  public record SubjectBody(String kind, String externalId, Map<String, String> attributes) {}
}
