package dev.enroll.http;

import dev.enroll.admin.AdminKey;
import dev.enroll.admin.AdminKeys;
import dev.enroll.credential.Credential;
import dev.enroll.lifecycle.Lifecycle;
import dev.enroll.lifecycle.RevocationReason;
import dev.enroll.subject.Subject;
import dev.enroll.subject.SubjectTransition;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Admin calls that change what an enrolled subject may do: revoke, quarantine, offboard. */
public final class LifecycleEndpoints {
  private final AdminAuth auth;
  private final Lifecycle lifecycle;
  private final Bodies bodies;

  /**
   * The endpoints.
   *
   * @param adminKeys authenticates callers
   * @param lifecycle the operations
   * @param bodies reads request bodies
   */
  public LifecycleEndpoints(AdminKeys adminKeys, Lifecycle lifecycle, Bodies bodies) {
    this.auth = new AdminAuth(adminKeys);
    this.lifecycle = lifecycle;
    this.bodies = bodies;
  }

  /**
   * Adds the routes.
   *
   * @param app the HTTPS application
   */
  public void register(Javalin app) {
    app.post("/v1/credentials/{serial}/revoke", this::revokeCredential);
    for (SubjectTransition transition : SubjectTransition.values()) {
      app.post("/v1/subjects/{id}/" + transition.wireName(),
          ctx -> transition(ctx, transition));
    }
  }

  private void revokeCredential(Context ctx) {
    Lifecycle.Actor actor = actor(ctx);
    ChangeBody body = body(ctx);
    Credential revoked = lifecycle.revokeCredential(actor, ctx.pathParam("serial"),
        RevocationReason.parse(body.reason()), Boolean.TRUE.equals(body.force()));
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("serial", revoked.serial());
    view.put("status", revoked.status().wireName());
    view.put("revokedAt", revoked.revokedAt());
    view.put("reason", revoked.revocationReason());
    ctx.json(view);
  }

  private void transition(Context ctx, SubjectTransition transition) {
    Lifecycle.Actor actor = actor(ctx);
    ChangeBody body = body(ctx);
    RevocationReason reason = transition == SubjectTransition.OFFBOARD && body.reason() == null
        ? RevocationReason.CESSATION_OF_OPERATION : RevocationReason.parse(body.reason());
    Subject subject = lifecycle.transition(actor, ctx.pathParam("id"), transition, reason);
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", subject.id());
    view.put("kind", subject.kind().wireName());
    view.put("externalId", subject.externalId());
    view.put("state", subject.state().wireName());
    ctx.json(view);
  }

  private Lifecycle.Actor actor(Context ctx) {
    AdminKey admin = auth.require(ctx, dev.enroll.admin.Permission.LIFECYCLE);
    return new Lifecycle.Actor(admin.actor(), admin.tenant(), RequestIds.of(ctx));
  }

  private ChangeBody body(Context ctx) {
    return bodies.readOptional(ctx, ChangeBody.class, new ChangeBody(null, null));
  }

  /**
   * The optional body of a lifecycle call.
   *
   * @param reason an RFC 5280 reason name, default {@code unspecified}
   * @param force revoke a credential even if it expired
   */
  public record ChangeBody(String reason, Boolean force) {}
}
