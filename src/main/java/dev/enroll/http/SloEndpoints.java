package dev.enroll.http;

import dev.enroll.admin.AdminKey;
import dev.enroll.admin.AdminKeys;
import dev.enroll.observe.ServiceLevels;
import io.javalin.Javalin;
import io.javalin.http.Context;

/** {@code GET /v1/slo}: the service levels per profile, as this node computes them. */
public final class SloEndpoints {
  private final AdminAuth auth;
  private final ServiceLevels levels;

  /**
   * The endpoint.
   *
   * @param adminKeys authenticates callers
   * @param levels the service levels
   */
  public SloEndpoints(AdminKeys adminKeys, ServiceLevels levels) {
    this.auth = new AdminAuth(adminKeys);
    this.levels = levels;
  }

  /**
   * Adds the route.
   *
   * @param app the HTTPS application
   */
  public void register(Javalin app) {
    app.get("/v1/slo", this::report);
  }

  private void report(Context ctx) {
    AdminKey admin = auth.require(ctx, dev.enroll.admin.Permission.READ);
    ctx.json(levels.report(admin.tenant()));
  }
}
