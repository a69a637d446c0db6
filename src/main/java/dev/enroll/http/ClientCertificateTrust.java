package dev.enroll.http;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The API port's trust for client certificates: it asks clients for a certificate from
 * Enroll's own CA and lets the handshake through with any, because the handshake cannot
 * tell a renewal in its grace period from an attack. The endpoints that read a client
 * certificate decide about it themselves: signature by the issuing CA, the credential in the
 * store, its status and validity. A client without a certificate still connects.
 */
final class ClientCertificateTrust extends X509ExtendedTrustManager {
  private final X509Certificate[] issuers;

  /**
   * Trust that names the CA whose certificates clients should present.
   *
   * @param issuers the issuing CA and root, sent as acceptable issuers
   */
  ClientCertificateTrust(List<X509Certificate> issuers) {
    this.issuers = issuers.toArray(new X509Certificate[0]);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {
    // Decided per request by the endpoint that reads the certificate.
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
    // Decided per request by the endpoint that reads the certificate.
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    // Decided per request by the endpoint that reads the certificate.
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a server-side trust manager checks no servers");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return issuers.clone();
  }
}
