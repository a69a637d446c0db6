package dev.enroll.attestation;

import dev.enroll.profile.Profile;
import java.time.Instant;
import java.util.Map;

/**
 * Evidence to verify, with what it is for.
 *
 * @param profile the profile the subject enrolls under
 * @param subjectKind the subject's kind
 * @param externalId the subject's external id
 * @param evidence the method's fields, such as {@code token}
 * @param now the time of the request
 * @param clientCertificates the chain the client presented in the TLS handshake (its key
 *     proven there), or empty
 */
public record AttestationRequest(
    Profile profile,
    String subjectKind,
    String externalId,
    Map<String, Object> evidence,
    Instant now,
    java.util.List<java.security.cert.X509Certificate> clientCertificates) {

  /** Copies the chain so the record stays immutable. */
  public AttestationRequest {
    clientCertificates = clientCertificates == null ? java.util.List.of()
        : java.util.List.copyOf(clientCertificates);
  }
}
