package dev.enroll.http;

import dev.enroll.admin.AdminKey;
import dev.enroll.admin.AdminKeys;
import dev.enroll.audit.AuditJson;
import dev.enroll.audit.ChainedEvent;
import dev.enroll.audit.Checkpoint;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The audit log for auditors and SIEMs (admin keys of any tenant scope see the whole chain,
 * since its hashes link every tenant's events): events as JSON lines, checkpoints, and the
 * public key that verifies them.
 */
public final class AuditEndpoints {
  private static final int MAX_PAGE = 10_000;

  private final AdminAuth auth;
  private final Store store;

  /**
   * The audit routes.
   *
   * @param adminKeys authenticates callers
   * @param store the store
   */
  public AuditEndpoints(AdminKeys adminKeys, Store store) {
    this.auth = new AdminAuth(adminKeys);
    this.store = store;
  }

  /**
   * Adds the routes.
   *
   * @param app the HTTPS application
   */
  public void register(Javalin app) {
    app.get("/v1/audit", this::events);
    app.get("/v1/audit/checkpoints", this::checkpoints);
    app.get("/v1/audit/keys", this::keys);
  }

  private void events(Context ctx) {
    owner(ctx);
    long after = number(ctx.queryParam("after"), 0, "after");
    int limit = (int) number(ctx.queryParam("limit"), 1000, "limit");
    List<ChainedEvent> events = store.transact(tx -> tx.audit().chained(after, limit));
    StringBuilder lines = new StringBuilder();
    events.forEach(e -> lines.append(AuditJson.line(e)).append('\n'));
    ctx.contentType("application/x-ndjson; charset=utf-8");
    ctx.result(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private void checkpoints(Context ctx) {
    owner(ctx);
    long after = number(ctx.queryParam("after"), 0, "after");
    int limit = (int) number(ctx.queryParam("limit"), 1000, "limit");
    List<Checkpoint> checkpoints = store.transact(tx -> tx.audit().checkpoints(after, limit));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", checkpoints.stream().map(AuditEndpoints::view)
        .collect(Collectors.toList()));
    ctx.json(body);
  }

  private void keys(Context ctx) {
    owner(ctx);
    List<String> keys = store.transact(tx -> tx.audit().publishedKeys());
    ctx.contentType("application/x-pem-file");
    ctx.result(String.join("", keys));
  }

  private void owner(Context ctx) {
    AdminKey admin = auth.require(ctx, dev.enroll.admin.Permission.AUDIT);
    if (admin.tenant() != null) {
      throw new EnrollException(ProblemType.FORBIDDEN,
          "the audit chain spans all tenants; it needs an admin key of no single tenant");
    }
  }

  private static Map<String, Object> view(Checkpoint c) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("seq", c.seq());
    view.put("headHash", c.headHash());
    view.put("time", c.time().toString());
    view.put("keyId", c.keyId());
    view.put("signature", c.signature());
    return view;
  }

  private static long number(String text, long fallback, String name) {
    if (text == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text);
      if (value >= 0 && (!name.equals("limit") || (value >= 1 && value <= MAX_PAGE))) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Answered below.
    }
    throw new EnrollException(ProblemType.REQUEST_MALFORMED, name.equals("limit")
        ? "limit must be between 1 and " + MAX_PAGE : name + " must be a sequence number");
  }
}
