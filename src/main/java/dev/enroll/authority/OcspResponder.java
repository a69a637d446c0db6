package dev.enroll.authority;

import dev.enroll.credential.Credential;
import dev.enroll.credential.CredentialStatus;
import dev.enroll.lifecycle.RevocationReason;
import dev.enroll.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The OCSP responder (RFC 6960): answers from the store, signed by the issuing CA, so a
 * revocation shows the moment it commits. {@code unknown} only for serials this CA never
 * issued (or another issuer's).
 */
public final class OcspResponder {
  private static final int MAX_REQUESTS = 20;

  private final CertificateAuthority authority;
  private final Store store;
  private final Clock clock;
  private final DigestCalculatorProvider digests;
  private final Duration validity;

  /**
   * A responder for the issuing CA.
   *
   * @param authority the issuing CA
   * @param store the store
   * @param clock the clock
   * @param validity from a response's thisUpdate to its nextUpdate
   */
  public OcspResponder(CertificateAuthority authority, Store store, Clock clock,
      Duration validity) {
    this.validity = validity;
    this.authority = authority;
    this.store = store;
    this.clock = clock;
    try {
      this.digests = new JcaDigestCalculatorProviderBuilder().build();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Answers a DER-encoded OCSP request.
   *
   * @param requestDer the request
   * @return the DER-encoded OCSP response (a {@code malformedRequest} status for junk)
   */
  public byte[] respond(byte[] requestDer) {
    OCSPReq request;
    try {
      request = new OCSPReq(requestDer);
    } catch (IOException | RuntimeException e) {
      return status(OCSPRespBuilder.MALFORMED_REQUEST);
    }
    Req[] requests = request.getRequestList();
    if (requests.length == 0 || requests.length > MAX_REQUESTS) {
      return status(OCSPRespBuilder.MALFORMED_REQUEST);
    }

    // Look every serial up in one read.
    List<Optional<Credential>> found = store.transact(tx -> {
      List<Optional<Credential>> results = new ArrayList<>();
      for (Req one : requests) {
        CertificateID id = one.getCertID();
        results.add(ours(id) ? tx.credentials().findBySerial(Serial.format(
            id.getSerialNumber())) : Optional.empty());
      }
      return results;
    });

    Instant now = clock.instant();
    BasicOCSPRespBuilder builder =
        new BasicOCSPRespBuilder(new RespID(authority.keys().issuing().getSubject()));
    for (int i = 0; i < requests.length; i++) {
      builder.addResponse(requests[i].getCertID(), statusOf(found.get(i)), Date.from(now),
          Date.from(now.plus(validity)), null);
    }
    Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
    if (nonce != null) {
      builder.setResponseExtensions(new Extensions(nonce));
    }
    try {
      BasicOCSPResp basic = builder.build(authority.issuingSigner(), null, Date.from(now));
      return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    } catch (OCSPException | IOException e) {
      throw new IllegalStateException("cannot sign the OCSP response", e);
    }
  }

  private boolean ours(CertificateID id) {
    try {
      return id.matchesIssuer(authority.keys().issuing(), digests);
    } catch (OCSPException | RuntimeException e) {
      return false;
    }
  }

  private static CertificateStatus statusOf(Optional<Credential> credential) {
    if (credential.isEmpty()) {
      return new UnknownStatus();
    }
    Credential c = credential.get();
    if (c.status() == CredentialStatus.REVOKED || c.status() == CredentialStatus.ON_HOLD) {
      return new RevokedStatus(Date.from(c.revokedAt()),
          RevocationReason.ofStored(c.revocationReason()).code());
    }
    return CertificateStatus.GOOD;
  }

  private static byte[] status(int status) {
    try {
      return new OCSPRespBuilder().build(status, null).getEncoded();
    } catch (OCSPException | IOException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
