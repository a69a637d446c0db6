package dev.enroll.http;

import dev.enroll.admin.AdminKey;
import dev.enroll.admin.AdminKeys;
import dev.enroll.admin.Permission;
import dev.enroll.approval.Approval;
import dev.enroll.approval.ApprovalService;
import dev.enroll.approval.ApprovalState;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Approval by a person: {@code GET /v1/approvals}, {@code POST /v1/approvals/{id}/approve}
 * and {@code POST /v1/approvals/{id}/deny}. The id is the enrollment's.
 */
public final class ApprovalEndpoints {
  private static final int MAX_LIMIT = 1000;

  private final AdminAuth auth;
  private final ApprovalService approvals;
  private final Bodies bodies;

  /**
   * The endpoints.
   *
   * @param adminKeys authenticates callers
   * @param approvals the decisions
   * @param bodies reads request bodies
   */
  public ApprovalEndpoints(AdminKeys adminKeys, ApprovalService approvals, Bodies bodies) {
    this.auth = new AdminAuth(adminKeys);
    this.approvals = approvals;
    this.bodies = bodies;
  }

  /**
   * Adds the routes.
   *
   * @param app the HTTPS application
   */
  public void register(Javalin app) {
    app.get("/v1/approvals", this::list);
    app.post("/v1/approvals/{id}/approve", ctx -> decide(ctx, true));
    app.post("/v1/approvals/{id}/deny", ctx -> decide(ctx, false));
  }

  private void list(Context ctx) {
    AdminKey admin = auth.require(ctx, Permission.READ);
    String tenant = ctx.queryParam("tenant");
    if (tenant != null && !admin.covers(tenant)) {
      throw new EnrollException(ProblemType.FORBIDDEN,
          "this admin key is not scoped to tenant '" + tenant + "'");
    }
    String stateText = ctx.queryParam("state");
    ApprovalState state = stateText == null ? ApprovalState.PENDING
        : ApprovalState.parse(stateText);
    if (state == null) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED,
          "state must be pending, approved, denied or expired");
    }
    int limit = limit(ctx.queryParam("limit"));
    List<Approval> found = approvals.list(tenant != null ? tenant : admin.tenant(), state,
        limit);
    ctx.json(Map.of("approvals", found.stream().map(ApprovalEndpoints::view)
        .collect(Collectors.toList())));
  }

  private void decide(Context ctx, boolean approve) {
    AdminKey admin = auth.require(ctx, Permission.APPROVE);
    DecisionBody body = bodies.readOptional(ctx, DecisionBody.class, new DecisionBody(null));
    ApprovalService.Approver approver = new ApprovalService.Approver(admin.actor(),
        admin.tenant(), admin.role(), RequestIds.of(ctx));
    String id = ctx.pathParam("id");
    Approval decided = approve ? approvals.approve(approver, id, body.reason())
        : approvals.deny(approver, id, body.reason());
    ctx.json(view(decided));
  }

  private static int limit(String text) {
    if (text == null) {
      return 100;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // Refused below.
    }
    throw new EnrollException(ProblemType.REQUEST_MALFORMED,
        "limit must be a whole number from 1 to " + MAX_LIMIT);
  }

  private static Map<String, Object> view(Approval a) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", a.enrollmentId());
    view.put("tenant", a.tenant());
    view.put("profile", a.profile());
    view.put("state", a.state().wireName());
    view.put("subject", Map.of("id", a.subjectId(), "externalId", a.externalId()));
    view.put("method", a.method());
    view.put("evidence", a.claims());
    view.put("roles", a.decision().roles());
    view.put("names", a.decision().names());
    view.put("requestedBy", a.requestedBy());
    view.put("createdAt", a.createdAt());
    view.put("expiresAt", a.expiresAt());
    view.put("decidedBy", a.decidedBy());
    view.put("decidedAt", a.decidedAt());
    view.put("reason", a.reason());
    return view;
  }

  /**
   * The body of a decision.
   *
   * @param reason why, for the audit log (and the client, on a denial)
   */
  public record DecisionBody(String reason) {}
}
