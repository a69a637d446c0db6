package dev.enroll.http;

import dev.enroll.admin.AdminKey;
import dev.enroll.admin.AdminKeys;
import dev.enroll.admin.Permission;
import dev.enroll.anomaly.Anomalies;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;

/** {@code GET /v1/anomalies} and {@code POST /v1/anomalies/{id}/clear}. */
public final class AnomalyEndpoints {
  private final AdminAuth auth;
  private final Anomalies anomalies;

  /**
   * The endpoints.
   *
   * @param adminKeys authenticates callers
   * @param anomalies the surge flags
   */
  public AnomalyEndpoints(AdminKeys adminKeys, Anomalies anomalies) {
    this.auth = new AdminAuth(adminKeys);
    this.anomalies = anomalies;
  }

  /**
   * Adds the routes.
   *
   * @param app the HTTPS application
   */
  public void register(Javalin app) {
    app.get("/v1/anomalies", this::list);
    app.post("/v1/anomalies/{id}/clear", this::clear);
  }

  private void list(Context ctx) {
    AdminKey admin = auth.require(ctx, Permission.READ);
    ctx.json(Map.of("anomalies", anomalies.active(admin.tenant())));
  }

  private void clear(Context ctx) {
    AdminKey admin = auth.require(ctx, Permission.LIFECYCLE);
    ctx.json(anomalies.clear(admin.actor(), admin.tenant(), ctx.pathParam("id"),
        RequestIds.of(ctx)));
  }
}
