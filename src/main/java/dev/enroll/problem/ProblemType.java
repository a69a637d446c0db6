package dev.enroll.problem;

/**
 * Every kind of problem Enroll reports to a client, each with a stable type URI, an HTTP
 * status and a short title (RFC 9457).
 *
 * <p>The type URI is {@code urn:enroll:problem:<slug>}; {@code docs/problems.md} explains
 * each one. Slugs never change once released: clients and dashboards match on them.
 */
public enum ProblemType {
  REQUEST_MALFORMED("request-malformed", 400, "The request is malformed"),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Content type not supported"),
  REQUEST_TOO_LARGE("request-too-large", 413, "Request body too large"),
  URI_TOO_LONG("uri-too-long", 414, "Request URI too long"),
  HEADERS_TOO_LARGE("headers-too-large", 431, "Request headers too large"),
  NOT_FOUND("not-found", 404, "Not found"),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
  NOT_ACCEPTABLE("not-acceptable", 406, "Response type not available"),
  PROFILE_UNKNOWN("profile-unknown", 404, "Unknown profile"),
  SUBJECT_KIND_NOT_ALLOWED("subject-kind-not-allowed", 403, "Subject kind not allowed"),
  SUBJECT_NOT_ACTIVE("subject-not-active", 409, "Subject is not active"),
  ATTESTATION_UNSUPPORTED("attestation-unsupported", 400, "Attestation method not accepted"),
  TOKEN_INVALID("token-invalid", 401, "Join token not valid"),
  TOKEN_EXPIRED("token-expired", 403, "Join token expired"),
  TOKEN_USED_UP("token-used-up", 403, "Join token used up"),
  TOKEN_PROFILE_MISMATCH("token-profile-mismatch", 403, "Join token is for another profile"),
  TOKEN_SUBJECT_MISMATCH("token-subject-mismatch", 403, "Join token is for another subject"),
  JWT_MALFORMED("jwt-malformed", 400, "JWT malformed"),
  JWT_ALGORITHM_NOT_ALLOWED("jwt-algorithm-not-allowed", 401, "JWT algorithm not allowed"),
  JWT_ISSUER_UNKNOWN("jwt-issuer-unknown", 401, "JWT issuer not trusted"),
  JWT_KEY_UNKNOWN("jwt-key-unknown", 401, "JWT signing key unknown"),
  JWT_SIGNATURE_INVALID("jwt-signature-invalid", 401, "JWT signature not valid"),
  JWT_EXPIRED("jwt-expired", 401, "JWT expired"),
  JWT_NOT_YET_VALID("jwt-not-yet-valid", 401, "JWT not valid yet"),
  JWT_TOO_OLD("jwt-too-old", 401, "JWT too old"),
  JWT_AUDIENCE_MISMATCH("jwt-audience-mismatch", 403, "JWT meant for another audience"),
  JWT_SUBJECT_MISMATCH("jwt-subject-mismatch", 403, "JWT is for another subject"),
  JWT_REPLAYED("jwt-replayed", 401, "JWT used before"),
  JWKS_UNAVAILABLE("jwks-unavailable", 503, "Issuer keys unavailable"),
  RATE_LIMITED("rate-limited", 429, "Too many requests"),
  NONCE_INVALID("nonce-invalid", 401, "Nonce unknown, used or expired"),
  DEVICE_CERTIFICATE_MALFORMED("device-certificate-malformed", 400,
      "Device certificate malformed"),
  DEVICE_CERTIFICATE_SELF_SIGNED("device-certificate-self-signed", 401,
      "Device certificate is self-signed"),
  DEVICE_CERTIFICATE_UNTRUSTED("device-certificate-untrusted", 401,
      "Device certificate from an untrusted CA"),
  DEVICE_CERTIFICATE_EXPIRED("device-certificate-expired", 401,
      "Device certificate not valid now"),
  DEVICE_CERTIFICATE_REVOKED("device-certificate-revoked", 401,
      "Device certificate revoked by its manufacturer"),
  DEVICE_CERTIFICATE_WRONG_PURPOSE("device-certificate-wrong-purpose", 401,
      "Device certificate not for client authentication"),
  DEVICE_KEY_WEAK("device-key-weak", 401, "Device key too weak"),
  DEVICE_KEY_NOT_PROVEN("device-key-not-proven", 401, "Device key not proven"),
  DEVICE_SUBJECT_MISMATCH("device-subject-mismatch", 403,
      "Device certificate is for another subject"),
  GROUP_UNKNOWN("group-unknown", 401, "Enrollment group unknown"),
  GROUP_EXISTS("group-exists", 409, "Enrollment group exists"),
  SYMMETRIC_KEY_MAC_INVALID("symmetric-key-mac-invalid", 401, "Group-key proof not valid"),
  SYMMETRIC_KEY_TIMESTAMP_SKEWED("symmetric-key-timestamp-skewed", 401,
      "Group-key proof too far from the server's time"),
  SYMMETRIC_KEY_REPLAYED("symmetric-key-replayed", 401, "Group-key proof used before"),
  SUBJECT_ALREADY_ENROLLED("subject-already-enrolled", 409, "Subject already enrolled"),
  SUBJECT_TRANSITION_NOT_ALLOWED("subject-transition-not-allowed", 409,
      "Subject cannot make this transition"),
  CREDENTIAL_ALREADY_REVOKED("credential-already-revoked", 409, "Credential already revoked"),
  CREDENTIAL_EXPIRED("credential-expired", 409, "Credential already expired"),
  CLIENT_CERTIFICATE_REQUIRED("client-certificate-required", 401,
      "Client certificate required"),
  CLIENT_CERTIFICATE_INVALID("client-certificate-invalid", 401,
      "Client certificate not recognized"),
  RENEWAL_TOO_EARLY("renewal-too-early", 409, "Renewal window not open yet"),
  RENEWAL_EXPIRED("renewal-expired", 403, "Certificate expired; enroll again"),
  RENEWAL_NAMES_CHANGED("renewal-names-changed", 403, "Renewal asks for other names"),
  CREDENTIAL_REVOKED("credential-revoked", 403, "Credential revoked"),
  CREDENTIAL_SUPERSEDED("credential-superseded", 409, "Credential already renewed"),
  SUBJECT_QUARANTINED("subject-quarantined", 403, "Subject is quarantined"),
  SUBJECT_REVOKED("subject-revoked", 403, "Subject is revoked"),
  SUBJECT_OFFBOARDED("subject-offboarded", 403, "Subject is offboarded"),
  CSR_MALFORMED("csr-malformed", 400, "Certificate request malformed"),
  CSR_SIGNATURE_INVALID("csr-signature-invalid", 400, "Certificate request signature not valid"),
  CSR_KEY_WEAK("csr-key-weak", 400, "Key too weak"),
  CSR_ALGORITHM_UNSUPPORTED("csr-algorithm-unsupported", 400, "Algorithm not supported"),
  CSR_SIGNATURE_WEAK("csr-signature-weak", 400, "Signature hash too weak"),
  CSR_CA_REQUEST("csr-ca-request", 400, "Certificate request asks for a CA"),
  POLICY_DENIED("policy-denied", 403, "Refused by the profile's policy"),
  POLICY_FAILED("policy-evaluation-failed", 403, "The profile's policy failed; refused"),
  ENROLLMENT_DENIED("enrollment-denied", 403, "Enrollment denied by an admin"),
  APPROVAL_EXPIRED("approval-expired", 410, "Enrollment not approved in time"),
  APPROVAL_NOT_PENDING("approval-not-pending", 409, "Approval request already decided"),
  APPROVER_NOT_ALLOWED("approver-not-allowed", 403, "This admin cannot decide the request"),
  ANOMALY_NOT_ACTIVE("anomaly-not-active", 409, "Anomaly already cleared"),
  NAME_NOT_ALLOWED("name-not-allowed", 403, "Name not allowed by the profile"),
  IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 409,
      "Idempotency key used for another request"),
  IDEMPOTENCY_IN_PROGRESS("idempotency-in-progress", 409,
      "A request with this key is in progress"),
  UNAUTHORIZED("unauthorized", 401, "Authentication required"),
  FORBIDDEN("forbidden", 403, "Not permitted"),
  UNAVAILABLE("unavailable", 503, "Service unavailable"),
  SIGNER_UNAVAILABLE("signer-unavailable", 503, "The CA's signer is unavailable"),
  SERVER_ERROR("server-error", 500, "Internal server error");

  private static final String PREFIX = "urn:enroll:problem:";

  private final String slug;
  private final int status;
  private final String title;

  ProblemType(String slug, int status, String title) {
    this.slug = slug;
    this.status = status;
    this.title = title;
  }

  /** The short stable name, also used as the reason code in audit events and metrics. */
  public String slug() {
    return slug;
  }

  /** The type URI written into the problem document. */
  public String uri() {
    return PREFIX + slug;
  }

  /** The HTTP status the problem is answered with. */
  public int status() {
    return status;
  }

  /** A short human-readable summary that does not change from occurrence to occurrence. */
  public String title() {
    return title;
  }
}
