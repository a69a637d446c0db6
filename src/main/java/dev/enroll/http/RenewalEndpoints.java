package dev.enroll.http;

import dev.enroll.enrollment.EnrollmentResult;
import dev.enroll.lifecycle.Heartbeats;
import dev.enroll.lifecycle.RenewalService;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * What a subject does with the certificate it presents over mutual TLS: {@code POST
 * /v1/renewals} renews it, {@code POST /v1/heartbeat} reports that the subject runs.
 */
public final class RenewalEndpoints {
  private static final String CLIENT_CHAIN = "jakarta.servlet.request.X509Certificate";

  private final RenewalService service;
  private final Heartbeats heartbeats;
  private final Bodies bodies;

  /**
   * The endpoints.
   *
   * @param service the renewal use case
   * @param heartbeats telemetry binding
   * @param bodies reads request bodies
   */
  public RenewalEndpoints(RenewalService service, Heartbeats heartbeats, Bodies bodies) {
    this.service = service;
    this.heartbeats = heartbeats;
    this.bodies = bodies;
  }

  /**
   * Adds the route.
   *
   * @param app the HTTPS application
   */
  public void register(Javalin app) {
    app.post("/v1/renewals", this::renew);
    app.post("/v1/heartbeat", this::heartbeat);
  }

  private void heartbeat(Context ctx) {
    heartbeats.beat(clientCertificate(ctx));
    ctx.status(204);
  }

  private void renew(Context ctx) {
    RenewalBody body = bodies.read(ctx, RenewalBody.class);
    EnrollmentResult result = service.renew(new RenewalService.RenewalRequest(
        clientCertificate(ctx), body.csr(), RequestIds.of(ctx), ctx.ip()));
    ctx.status(201);
    ctx.header("Location", "/v1/enrollments/" + result.id());
    ctx.json(result);
  }

  /**
   * The certificate the client presented in the TLS handshake, if any.
   *
   * @param ctx the request
   * @return the leaf certificate, or null
   */
  static X509CertificateHolder clientCertificate(Context ctx) {
    Object chain = ctx.req().getAttribute(CLIENT_CHAIN);
    if (!(chain instanceof X509Certificate[]) || ((X509Certificate[]) chain).length == 0) {
      return null;
    }
    try {
      return new X509CertificateHolder(((X509Certificate[]) chain)[0].getEncoded());
    } catch (CertificateEncodingException | IOException e) {
      throw new EnrollException(ProblemType.CLIENT_CERTIFICATE_INVALID,
          "the client certificate cannot be read");
    }
  }

  /**
   * The JSON body of a renewal.
   *
   * @param csr the PKCS#10 request for the new certificate (same key or a new one)
   */
  public record RenewalBody(String csr) {}
}
