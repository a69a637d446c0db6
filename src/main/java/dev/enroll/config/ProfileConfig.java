package dev.enroll.config;

import java.util.List;

/**
 * One enrollment profile as written in the configuration file.
 *
 * @param subjectKinds the kinds of subject this profile enrolls
 * @param attestation the attestation methods it accepts
 * @param keyTypes the key types a certificate request may carry
 * @param certificate what the issued certificate looks like
 * @param names which names a certificate may carry
 * @param renewal when and how a certificate may be renewed
 * @param telemetry how long an enrolled subject may stay silent
 */
public record ProfileConfig(
    List<String> subjectKinds,
    List<String> attestation,
    List<String> keyTypes,
    CertificateConfig certificate,
    NamesConfig names,
    RenewalConfig renewal,
    TelemetryConfig telemetry) {

  /** Fills in defaults. */
  public ProfileConfig {
    subjectKinds = subjectKinds == null ? List.of("device") : List.copyOf(subjectKinds);
    attestation = attestation == null ? List.of("token") : List.copyOf(attestation);
    keyTypes = keyTypes == null
        ? List.of("P-256", "P-384", "P-521", "RSA", "Ed25519")
        : List.copyOf(keyTypes);
    certificate = certificate == null ? new CertificateConfig(null, null, null) : certificate;
    names = names == null ? new NamesConfig(null, null, null, null, null, null, null, null)
        : names;
    renewal = renewal == null ? new RenewalConfig(null, null, null, null) : renewal;
    telemetry = telemetry == null ? new TelemetryConfig(null) : telemetry;
  }

  /**
   * Telemetry binding.
   *
   * @param silentAfter how long after enrolling, or after its last heartbeat, a subject may
   *     go without a heartbeat before it is listed as silent (default 1h)
   */
  public record TelemetryConfig(String silentAfter) {
    /** Fills in defaults. */
    public TelemetryConfig {
      silentAfter = silentAfter == null ? "1h" : silentAfter;
    }
  }

  /**
   * Renewal over mutual TLS.
   *
   * @param window how long before {@code notAfter} renewal opens; empty for half the
   *     certificate's validity
   * @param gracePeriod how long after {@code notAfter} an expired certificate may still
   *     renew (default 0: never)
   * @param revokeOnRenew revoke the replaced certificate (reason superseded) instead of
   *     letting it run out
   * @param allowNameChange let a renewal ask for other names than the current certificate's
   *     (each still checked against the profile's names)
   */
  public record RenewalConfig(
      String window, String gracePeriod, Boolean revokeOnRenew, Boolean allowNameChange) {
    /** Fills in defaults. */
    public RenewalConfig {
      window = window == null ? "" : window;
      gracePeriod = gracePeriod == null ? "0s" : gracePeriod;
      revokeOnRenew = revokeOnRenew != null && revokeOnRenew;
      allowNameChange = allowNameChange != null && allowNameChange;
    }
  }

  /**
   * The issued certificate's shape.
   *
   * @param validity lifetime, such as {@code 24h}
   * @param keyUsage RFC 5280 key usage names
   * @param extendedKeyUsage {@code clientAuth}, {@code serverAuth}, ...
   */
  public record CertificateConfig(
      String validity, List<String> keyUsage, List<String> extendedKeyUsage) {
    /** Fills in defaults. */
    public CertificateConfig {
      validity = validity == null ? "24h" : validity;
      keyUsage = keyUsage == null
          ? List.of("digitalSignature", "keyEncipherment")
          : List.copyOf(keyUsage);
      extendedKeyUsage = extendedKeyUsage == null
          ? List.of("clientAuth")
          : List.copyOf(extendedKeyUsage);
    }
  }

  /**
   * The names a certificate may carry. Patterns may use {@code {externalId}} for the
   * subject's external id, {@code *} for one DNS label or path segment, {@code **} for any
   * text.
   *
   * @param subject {@code csr}: the certificate's subject is the CSR's, checked attribute by
   *     attribute; {@code externalId}: the CA sets {@code CN=<externalId>} and ignores the
   *     CSR's subject
   * @param subjectAttributes the distinguished-name attributes a CSR's subject may hold
   * @param commonName patterns a requested common name must match
   * @param dns patterns for DNS names
   * @param uri patterns for URIs
   * @param email patterns for e-mail addresses
   * @param ip CIDR blocks for IP addresses
   * @param maxNames the most names one certificate may carry
   */
  public record NamesConfig(
      String subject,
      List<String> subjectAttributes,
      List<String> commonName,
      List<String> dns,
      List<String> uri,
      List<String> email,
      List<String> ip,
      Integer maxNames) {
    /** Fills in defaults. */
    public NamesConfig {
      subject = subject == null ? "csr" : subject;
      subjectAttributes = subjectAttributes == null ? List.of("CN") : subjectAttributes;
      commonName = commonName == null ? List.of("{externalId}") : commonName;
      dns = dns == null ? List.of() : dns;
      uri = uri == null ? List.of() : uri;
      email = email == null ? List.of() : email;
      ip = ip == null ? List.of() : ip;
      maxNames = maxNames == null ? 10 : maxNames;
    }
  }
}
