package dev.enroll.enrollment;

import java.util.Map;

/**
 * An enrollment request as the client sent it, not yet checked.
 *
 * @param tenant the tenant
 * @param profile the profile's name
 * @param subject who or what asks to be enrolled
 * @param attestation the evidence
 * @param csr the PKCS#10 request, as PEM or base64 DER
 * @param idempotencyKey the client's {@code Idempotency-Key}, or null
 * @param requestId the request id, for logs and audit
 * @param source the client's address
 * @param clientCertificates the chain the client presented in the TLS handshake, or empty
 */
public record EnrollmentRequest(
    String tenant,
    String profile,
    SubjectClaim subject,
    Evidence attestation,
    String csr,
    String idempotencyKey,
    String requestId,
    String source,
    java.util.List<java.security.cert.X509Certificate> clientCertificates) {

  /** Copies the chain so the record stays immutable. */
  public EnrollmentRequest {
    clientCertificates = clientCertificates == null ? java.util.List.of()
        : java.util.List.copyOf(clientCertificates);
  }

  /**
   * The subject the request names.
   *
   * @param kind {@code device}, {@code workload}, ...
   * @param externalId the caller's name for it
   * @param attributes free-form string attributes
   */
  public record SubjectClaim(String kind, String externalId, Map<String, String> attributes) {
    /** Fills in an empty attribute map. */
    public SubjectClaim {
      attributes = attributes == null ? Map.of() : attributes;
    }
  }

  /**
   * Attestation evidence: a method name and its fields.
   *
   * @param type the method, such as {@code token}
   * @param fields the method's fields, such as {@code token}
   */
  public record Evidence(String type, Map<String, Object> fields) {
    /** Fills in an empty field map. */
    public Evidence {
      fields = fields == null ? Map.of() : fields;
    }
  }
}
