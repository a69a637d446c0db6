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
 * @param jwt the trusted JWT issuers, for attestation by {@code jwt}
 * @param x509 the trusted manufacturer CAs, for attestation by {@code x509}
 * @param symmetricKey group enrollment settings, for attestation by {@code symmetric-key}
 * @param policy CEL expressions deciding, from the verified claims, whether the subject
 *     enrolls and what it gets
 * @param approval how long an enrollment waits for a person's approval
 * @param anomaly surge detection per source network, and what a surge does
 */
public record ProfileConfig(
    List<String> subjectKinds,
    List<String> attestation,
    List<String> keyTypes,
    CertificateConfig certificate,
    NamesConfig names,
    RenewalConfig renewal,
    TelemetryConfig telemetry,
    JwtConfig jwt,
    X509Config x509,
    SymmetricKeyConfig symmetricKey,
    PolicyConfig policy,
    ApprovalConfig approval,
    AnomalyConfig anomaly) {

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
    policy = policy == null ? new PolicyConfig(null, null, null, null, null) : policy;
    approval = approval == null ? new ApprovalConfig(null, null) : approval;
  }

  /**
   * A profile's policy: CEL expressions over {@code claims} (what attestation verified),
   * {@code subject} ({@code kind}, {@code externalId}, {@code attributes}), {@code request}
   * ({@code tenant}, {@code profile}, {@code method}, {@code source}) and {@code now}.
   *
   * @param rules {@code allow} or {@code deny} conditions; any true deny refuses, and when
   *     there are allow rules one of them must be true
   * @param roles a list of strings: the roles the subject gets
   * @param names lists of names the certificate carries, by type; when a type is given, the
   *     certificate carries exactly those names of that type
   * @param validity a duration: the certificate's lifetime (at most the profile's)
   * @param approval a boolean: whether a person must approve the enrollment
   */
  public record PolicyConfig(
      List<RuleConfig> rules,
      String roles,
      PolicyNamesConfig names,
      String validity,
      String approval) {
    /** Fills in defaults. */
    public PolicyConfig {
      rules = rules == null ? List.of() : List.copyOf(rules);
      names = names == null ? new PolicyNamesConfig(null, null, null, null) : names;
    }
  }

  /**
   * One policy rule: a condition and what it means.
   *
   * @param allow a boolean expression that, when true, allows
   * @param deny a boolean expression that, when true, refuses whatever else allows
   * @param reason what a refusal tells the client and the audit log
   */
  public record RuleConfig(String allow, String deny, String reason) {}

  /**
   * Policy expressions for the certificate's names, each a list of strings.
   *
   * @param dns DNS names
   * @param uri URIs, such as SPIFFE IDs
   * @param email e-mail addresses
   * @param ip IP addresses
   */
  public record PolicyNamesConfig(String dns, String uri, String email, String ip) {}

  /**
   * Surge detection: Enroll learns each source network's normal rate of enrollment
   * requests to the profile and flags a surge. Absent: no detection.
   *
   * @param action what a surge does until an admin clears it: {@code alert} (an audit
   *     event and a metric only), {@code approval} (new enrollments from the network wait
   *     for a person) or {@code quarantine} (they are issued, then quarantined)
   * @param bucket the counting interval (default 1m)
   * @param halfLife how fast the learned rate forgets (default 10m): a longer one notices
   *     slower surges, and takes a slow ramp for one sooner
   * @param sigmas how many deviations above the learned rate a surge lies (default 5)
   * @param minCount the fewest requests in a bucket that can surge (default 20)
   * @param learningBuckets buckets learned before anything can surge (default 10)
   * @param ipv4Prefix the prefix length grouping IPv4 sources (default 24)
   * @param ipv6Prefix the prefix length grouping IPv6 sources (default 56)
   */
  public record AnomalyConfig(
      String action,
      String bucket,
      String halfLife,
      Double sigmas,
      Integer minCount,
      Integer learningBuckets,
      Integer ipv4Prefix,
      Integer ipv6Prefix) {
    /** Fills in defaults. */
    public AnomalyConfig {
      action = action == null ? "alert" : action;
      bucket = bucket == null ? "1m" : bucket;
      halfLife = halfLife == null ? "10m" : halfLife;
      sigmas = sigmas == null ? 5.0 : sigmas;
      minCount = minCount == null ? 20 : minCount;
      learningBuckets = learningBuckets == null ? 10 : learningBuckets;
      ipv4Prefix = ipv4Prefix == null ? 24 : ipv4Prefix;
      ipv6Prefix = ipv6Prefix == null ? 56 : ipv6Prefix;
    }
  }

  /**
   * Enrollment approval by a person.
   *
   * @param required approve every enrollment of the profile (the policy's {@code approval}
   *     decides case by case instead)
   * @param expiresAfter how long a request waits for a decision before it expires
   *     (default 72h)
   */
  public record ApprovalConfig(Boolean required, String expiresAfter) {
    /** Fills in defaults. */
    public ApprovalConfig {
      required = required != null && required;
      expiresAfter = expiresAfter == null ? "72h" : expiresAfter;
    }
  }

  /**
   * Attestation by a JWT from a trusted issuer (a Kubernetes service-account token, a CI
   * system's OIDC token).
   *
   * @param issuers the issuers whose tokens the profile accepts
   * @param audiences a token's {@code aud} must name at least one of these
   * @param maxTokenAge the oldest token ({@code iat}) accepted; empty for no limit
   * @param externalIdClaim JSON pointer (RFC 6901) to the claim that must equal the
   *     subject's external id (default {@code /sub})
   * @param claims claim names for the policy, each a JSON pointer into the token's claims,
   *     such as {@code namespace: /kubernetes.io/namespace}
   */
  public record JwtConfig(
      List<JwtIssuerConfig> issuers,
      List<String> audiences,
      String maxTokenAge,
      String externalIdClaim,
      java.util.Map<String, String> claims) {
    /** Fills in defaults. */
    public JwtConfig {
      issuers = issuers == null ? List.of() : List.copyOf(issuers);
      audiences = audiences == null ? List.of() : List.copyOf(audiences);
      maxTokenAge = maxTokenAge == null ? "" : maxTokenAge;
      externalIdClaim = externalIdClaim == null ? "/sub" : externalIdClaim;
      claims = claims == null ? java.util.Map.of() : java.util.Map.copyOf(claims);
    }
  }

  /**
   * One trusted JWT issuer. Its keys come from {@code jwks} written inline, from
   * {@code jwksUri}, or, when neither is given, from OpenID Connect discovery at the issuer.
   *
   * @param issuer the {@code iss} value, an https URL for discovery
   * @param jwksUri where the issuer publishes its JSON Web Key Set
   * @param jwks the key set itself, as YAML or as a JSON string
   * @param algorithms the signature algorithms accepted (default RS256 and ES256); never
   *     {@code none} or an HMAC algorithm
   * @param jwksMinRefreshInterval the least time between two fetches of the key set when a
   *     token names an unknown key (default 30s)
   */
  public record JwtIssuerConfig(
      String issuer,
      String jwksUri,
      Object jwks,
      List<String> algorithms,
      String jwksMinRefreshInterval) {
    /** Fills in defaults. */
    public JwtIssuerConfig {
      jwksUri = jwksUri == null ? "" : jwksUri;
      algorithms = algorithms == null ? List.of("RS256", "ES256") : List.copyOf(algorithms);
      jwksMinRefreshInterval = jwksMinRefreshInterval == null ? "30s" : jwksMinRefreshInterval;
    }
  }

  /**
   * Attestation by a device certificate its manufacturer issued.
   *
   * @param manufacturerCas PEM files of the manufacturer CA certificates a device
   *     certificate must chain to
   * @param crls PEM or DER files of the manufacturers' CRLs; a device certificate on one is
   *     refused (read again when the file changes)
   * @param externalIdFrom which part of the device certificate must equal the subject's
   *     external id: {@code serialNumber} (the subject's serialNumber attribute, default),
   *     {@code commonName}, or {@code any}
   */
  public record X509Config(
      List<String> manufacturerCas, List<String> crls, String externalIdFrom) {
    /** Fills in defaults. */
    public X509Config {
      manufacturerCas = manufacturerCas == null ? List.of() : List.copyOf(manufacturerCas);
      crls = crls == null ? List.of() : List.copyOf(crls);
      externalIdFrom = externalIdFrom == null ? "serialNumber" : externalIdFrom;
    }
  }

  /**
   * Group enrollment with a symmetric key: each device's key is
   * HMAC-SHA256(group key, registration id).
   *
   * @param maxClockSkew how far a timestamped proof may lie from the server's time
   *     (default 5m)
   */
  public record SymmetricKeyConfig(String maxClockSkew) {
    /** Fills in defaults. */
    public SymmetricKeyConfig {
      maxClockSkew = maxClockSkew == null ? "5m" : maxClockSkew;
    }
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
