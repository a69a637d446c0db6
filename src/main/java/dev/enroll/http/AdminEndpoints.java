package dev.enroll.http;

import dev.enroll.admin.AdminKey;
import dev.enroll.admin.AdminKeys;
import dev.enroll.admin.Permission;
import dev.enroll.attestation.token.JoinTokens;
import dev.enroll.config.DurationText;
import dev.enroll.credential.Credential;
import dev.enroll.enrollment.EnrollmentState;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.Printable;
import dev.enroll.problem.ProblemType;
import dev.enroll.store.Store;
import dev.enroll.subject.Subject;
import dev.enroll.subject.SubjectKind;
import dev.enroll.subject.SubjectQuery;
import dev.enroll.subject.SubjectState;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The admin API: join tokens and the subject catalog. Every call needs an admin key. */
public final class AdminEndpoints {
  private static final int MAX_PAGE = 1000;

  private final AdminAuth auth;
  private final AdminKeys adminKeys;
  private final JoinTokens tokens;
  private final Store store;
  private final Bodies bodies;
  private final java.time.Clock clock;
  private final java.util.function.Supplier<String> chainPem;

  /**
   * The endpoints.
   *
   * @param adminKeys admin authentication
   * @param tokens token creation
   * @param store the store, for reads
   * @param bodies the body reader
   * @param clock the clock, for which subjects are overdue for telemetry
   * @param chainPem the issuing chain, for the certificates a subject collects
   */
  public AdminEndpoints(AdminKeys adminKeys, JoinTokens tokens, Store store, Bodies bodies,
      java.time.Clock clock, java.util.function.Supplier<String> chainPem) {
    this.chainPem = chainPem;
    this.auth = new AdminAuth(adminKeys);
    this.adminKeys = adminKeys;
    this.tokens = tokens;
    this.store = store;
    this.bodies = bodies;
    this.clock = clock;
  }

  /**
   * Adds the routes.
   *
   * @param app the HTTPS application
   */
  public void register(Javalin app) {
    app.post("/v1/tokens", this::createToken);
    app.post("/v1/admin-keys", this::createAdminKey);
    app.get("/v1/subjects/{id}", this::subject);
    app.get("/v1/subjects", this::subjects);
    app.get("/v1/enrollments/{id}", this::enrollment);
  }

  private AdminKey admin(Context ctx, Permission permission) {
    return auth.require(ctx, permission);
  }

  private void createToken(Context ctx) {
    AdminKey admin = admin(ctx, Permission.ISSUE_EVIDENCE);
    TokenBody body = bodies.read(ctx, TokenBody.class);
    String tenant = body.tenant() == null ? EnrollmentEndpoints.DEFAULT_TENANT : body.tenant();
    requireScope(admin, tenant);
    if (body.profile() == null) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED, "the request needs a profile");
    }
    Duration ttl =
        body.ttl() == null ? Duration.ofHours(1) : DurationText.parseOrNull(body.ttl());
    if (ttl == null) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED,
          "ttl must be a duration such as 30m, 1h, 7d or PT1H");
    }
    JoinTokens.CreatedToken created = tokens.create(new JoinTokens.TokenRequest(tenant,
        body.profile(), body.externalId(), body.uses() == null ? 1 : body.uses(), ttl),
        admin.actor(), RequestIds.of(ctx));
    ctx.status(201);
    ctx.json(created);
  }

  private void createAdminKey(Context ctx) {
    AdminKey admin = admin(ctx, Permission.MANAGE_KEYS);
    AdminKeyBody body = bodies.read(ctx, AdminKeyBody.class);
    if (body.tenant() != null && !tokens.hasTenant(body.tenant())) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED, "there is no tenant '"
          + printable(body.tenant()) + "'");
    }
    ctx.status(201);
    ctx.json(adminKeys.create(admin, body.name(), body.role() == null ? "admin" : body.role(),
        body.tenant(), RequestIds.of(ctx)));
  }

  /**
   * The body of an admin key request.
   *
   * @param name a label for people
   * @param role owner, admin, approver, operator or auditor (default admin)
   * @param tenant the tenant to scope the key to; empty for all tenants
   */
  public record AdminKeyBody(String name, String role, String tenant) {}

  private void subject(Context ctx) {
    AdminKey admin = admin(ctx, Permission.READ);
    String id = ctx.pathParam("id");
    Map<String, Object> view = store.transact(tx -> tx.subjects().findById(admin.tenant(), id)
        .map(subject -> view(subject, tx.credentials().bySubject(subject.id())))
        .orElseThrow(() -> new EnrollException(ProblemType.NOT_FOUND, "no subject " + id)));
    ctx.json(view);
  }

  private void enrollment(Context ctx) {
    if (ctx.header("Authorization") == null) {
      subjectView(ctx);
      return;
    }
    AdminKey admin = admin(ctx, Permission.READ);
    String id = ctx.pathParam("id");
    Map<String, Object> view = store.transact(tx -> tx.enrollments().findById(id)
        .filter(e -> admin.covers(e.tenant()))
        .map(e -> {
          Map<String, Object> v = new LinkedHashMap<>();
          v.put("id", e.id());
          v.put("tenant", e.tenant());
          v.put("profile", e.profile());
          v.put("status", e.state().wireName());
          v.put("method", e.method());
          v.put("createdAt", e.createdAt());
          v.put("completedAt", e.completedAt());
          v.put("subject", tx.subjects().findById(e.tenant(), e.subjectId())
              .map(subject -> view(subject, null)).orElse(null));
          v.put("credentials", tx.credentials().bySubject(e.subjectId()).stream()
              .filter(c -> e.id().equals(c.enrollmentId()))
              .map(AdminEndpoints::credentialView).collect(Collectors.toList()));
          return v;
        })
        .orElseThrow(() -> new EnrollException(ProblemType.NOT_FOUND, "no enrollment " + id)));
    ctx.json(view);
  }

  /**
   * The enrollment as its subject polls it, without an admin key: the id (a UUID with 74
   * random bits, handed only to the client in {@code Location}) is the capability. It shows
   * the state, the certificate once issued, and a problem once denied or expired; nothing
   * of other subjects, and no evidence.
   */
  private void subjectView(Context ctx) {
    String id = ctx.pathParam("id");
    Map<String, Object> view = store.transact(tx -> tx.enrollments().findById(id)
        .map(e -> {
          Map<String, Object> v = new LinkedHashMap<>();
          v.put("id", e.id());
          v.put("status", e.state().wireName());
          v.put("profile", e.profile());
          tx.approvals().find(null, id).ifPresent(a -> {
            v.put("roles", a.decision().roles());
            v.put("reason", a.reason());
            if (e.state() == EnrollmentState.AWAITING_APPROVAL) {
              v.put("expiresAt", a.expiresAt());
              // Past its expiry it is expired, whether or not the sweep has marked it yet.
              if (!clock.instant().isBefore(a.expiresAt())) {
                v.put("status", "expired");
              }
            } else if (e.state() == EnrollmentState.EXPIRED) {
              v.put("expiresAt", a.expiresAt());
            }
          });
          v.put("credentials", tx.credentials().bySubject(e.subjectId()).stream()
              .filter(c -> e.id().equals(c.enrollmentId()))
              .map(c -> {
                Map<String, Object> credential = new LinkedHashMap<>();
                credential.put("type", c.type().wireName());
                credential.put("serial", c.serial());
                credential.put("certificate", c.encoded());
                credential.put("chain", chainPem.get());
                credential.put("notBefore", c.notBefore());
                credential.put("notAfter", c.notAfter());
                return credential;
              }).collect(Collectors.toList()));
          return v;
        })
        .orElseThrow(() -> new EnrollException(ProblemType.NOT_FOUND, "no enrollment " + id)));
    String status = (String) view.get("status");
    switch (status) {
      case "denied":
        throw new EnrollException(ProblemType.ENROLLMENT_DENIED, "an admin denied the"
            + " enrollment" + (view.get("reason") == null ? "" : ": " + view.get("reason")));
      case "expired":
        throw new EnrollException(ProblemType.APPROVAL_EXPIRED, "nobody approved the"
            + " enrollment before " + view.get("expiresAt") + "; enroll again");
      case "pending":
      case "awaiting_approval":
        ctx.status(202);
        ctx.header("Retry-After", "10");
        break;
      default:
        break;
    }
    view.remove("reason");
    ctx.json(view);
  }

  private void subjects(Context ctx) {
    AdminKey admin = admin(ctx, Permission.READ);
    String tenant = ctx.queryParam("tenant");
    if (tenant != null) {
      requireScope(admin, tenant);
    } else {
      tenant = admin.tenant();
    }
    SubjectKind kind = parse(ctx.queryParam("kind"), SubjectKind::parse, "kind");
    SubjectState state = parse(ctx.queryParam("state"), SubjectState::parse, "state");
    int limit = limit(ctx.queryParam("limit"));
    String telemetry = ctx.queryParam("telemetry");
    if (telemetry != null && !telemetry.equals("missing")) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED,
          "telemetry takes one value: missing");
    }
    // One more than asked tells whether another page follows.
    SubjectQuery query = new SubjectQuery(tenant, kind, state, ctx.queryParam("after"),
        limit + 1, telemetry == null ? null : clock.instant());
    List<Subject> found = store.transact(tx -> tx.subjects().list(query));
    List<Subject> page = found.subList(0, Math.min(limit, found.size()));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.stream().map(s -> view(s, null)).collect(Collectors.toList()));
    if (found.size() > limit) {
      body.put("next", page.get(page.size() - 1).id());
    }
    ctx.json(body);
  }

  private static void requireScope(AdminKey admin, String tenant) {
    if (!admin.covers(tenant)) {
      throw new EnrollException(ProblemType.FORBIDDEN,
          "this admin key is not scoped to tenant '" + tenant + "'");
    }
  }

  private static <T> T parse(String text, java.util.function.Function<String, T> parser,
      String name) {
    if (text == null) {
      return null;
    }
    T value = parser.apply(text);
    if (value == null) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED, "unknown " + name);
    }
    return value;
  }

  private static int limit(String text) {
    if (text == null) {
      return 100;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_PAGE) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // Answered below.
    }
    throw new EnrollException(ProblemType.REQUEST_MALFORMED,
        "limit must be between 1 and " + MAX_PAGE);
  }

  private static Map<String, Object> view(Subject subject, List<Credential> credentials) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", subject.id());
    view.put("tenant", subject.tenant());
    view.put("kind", subject.kind().wireName());
    view.put("externalId", subject.externalId());
    view.put("state", subject.state().wireName());
    view.put("attributes", subject.attributes());
    view.put("createdAt", subject.createdAt());
    if (credentials != null) {
      view.put("credentials", credentials.stream().map(AdminEndpoints::credentialView)
          .collect(Collectors.toList()));
    }
    return view;
  }

  private static Map<String, Object> credentialView(Credential c) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("type", c.type().wireName());
    view.put("serial", c.serial());
    view.put("status", c.status().wireName());
    view.put("notBefore", c.notBefore());
    view.put("notAfter", c.notAfter());
    if (c.revokedAt() != null) {
      view.put("revokedAt", c.revokedAt());
      view.put("revocationReason", c.revocationReason());
    }
    if (c.replaces() != null) {
      view.put("replaces", c.replaces());
    }
    view.put("id", c.id());
    view.put("certificate", c.encoded());
    return view;
  }

  /**
   * The body of {@code POST /v1/tokens}.
   *
   * @param tenant the tenant, default {@code default}
   * @param profile the profile
   * @param externalId the one subject the token enrolls, or null for new subjects
   * @param uses the uses, default 1
   * @param ttl the lifetime, default {@code 1h}
   */
  public record TokenBody(
      String tenant, String profile, String externalId, Integer uses, String ttl) {}

  private static String printable(String text) {
    return Printable.shown(text, 64);
  }
}
