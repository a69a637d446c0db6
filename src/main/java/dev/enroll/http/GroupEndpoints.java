package dev.enroll.http;

import dev.enroll.admin.AdminKey;
import dev.enroll.admin.AdminKeys;
import dev.enroll.attestation.symmetric.GroupKeys;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import io.javalin.Javalin;
import io.javalin.http.Context;

/** {@code POST /v1/groups}: an enrollment group for symmetric-key attestation. */
public final class GroupEndpoints {
  private final AdminAuth auth;
  private final GroupKeys groups;
  private final Bodies bodies;

  /**
   * The endpoints.
   *
   * @param adminKeys authenticates callers
   * @param groups the enrollment groups
   * @param bodies reads request bodies
   */
  public GroupEndpoints(AdminKeys adminKeys, GroupKeys groups, Bodies bodies) {
    this.auth = new AdminAuth(adminKeys);
    this.groups = groups;
    this.bodies = bodies;
  }

  /**
   * Adds the routes.
   *
   * @param app the HTTPS application
   */
  public void register(Javalin app) {
    app.post("/v1/groups", this::create);
  }

  private void create(Context ctx) {
    AdminKey admin = auth.require(ctx, dev.enroll.admin.Permission.ISSUE_EVIDENCE);
    GroupBody body = bodies.read(ctx, GroupBody.class);
    String tenant = body.tenant() == null ? EnrollmentEndpoints.DEFAULT_TENANT : body.tenant();
    if (!admin.covers(tenant)) {
      throw new EnrollException(ProblemType.FORBIDDEN,
          "this admin key is not scoped to tenant '" + tenant + "'");
    }
    if (body.profile() == null) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED, "the request needs a profile");
    }
    ctx.status(201);
    ctx.header("Cache-Control", "no-store");
    ctx.json(groups.create(tenant, body.profile(), body.name(), admin.actor(),
        RequestIds.of(ctx)));
  }

  /**
   * The body of a group request.
   *
   * @param tenant the tenant (default {@code default})
   * @param profile the profile the group's devices enroll into
   * @param name a name unique in the profile
   */
  public record GroupBody(String tenant, String profile, String name) {}
}
