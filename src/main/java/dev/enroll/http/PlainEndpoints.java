package dev.enroll.http;

import dev.enroll.authority.CertificateAuthority;
import dev.enroll.observe.Metrics;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Base64;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The plain HTTP port: what relying parties and monitoring fetch without TLS. The CA
 * certificates, health, readiness and metrics.
 */
public final class PlainEndpoints {
  private final CertificateAuthority authority;
  private final Store store;
  private final Metrics metrics;
  private final BooleanSupplier draining;

  /**
   * The endpoints.
   *
   * @param authority the CA
   * @param store the store, for readiness
   * @param metrics the metrics registry
   * @param draining whether the server is shutting down
   */
  public PlainEndpoints(
      CertificateAuthority authority, Store store, Metrics metrics, BooleanSupplier draining) {
    this.authority = authority;
    this.store = store;
    this.metrics = metrics;
    this.draining = draining;
  }

  /**
   * Adds the routes.
   *
   * @param app the plain HTTP application
   */
  public void register(Javalin app) {
    app.get("/ca/roots.pem", ctx -> pem(ctx, authority.rootPem()));
    app.get("/ca/chain.pem", ctx -> pem(ctx, authority.chainPem()));
    app.get("/ca/issuing.crt", this::issuingDer);
    app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
    app.get("/readyz", this::ready);
    app.get("/metrics", ctx -> {
      ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
      ctx.result(metrics.scrape());
    });
  }

  private void ready(Context ctx) {
    if (draining.getAsBoolean()) {
      throw new EnrollException(ProblemType.UNAVAILABLE, "the server is shutting down");
    }
    if (!store.ready()) {
      throw new EnrollException(ProblemType.UNAVAILABLE, "the store does not answer")
          .with("retryAfterSeconds", 5);
    }
    ctx.json(Map.of("status", "ready"));
  }

  private void issuingDer(Context ctx) {
    String pem = authority.chainPem();
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    ctx.contentType("application/pkix-cert");
    ctx.result(Base64.getDecoder().decode(body));
  }

  private static void pem(Context ctx, String pem) {
    ctx.contentType("application/pem-certificate-chain");
    ctx.result(pem);
  }
}
