package dev.enroll.attestation.x509;

import dev.enroll.attestation.AttestationRequest;
import dev.enroll.attestation.Attestor;
import dev.enroll.attestation.Nonces;
import dev.enroll.attestation.VerifiedAttestation;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Attestation by a device certificate its manufacturer issued. The device proves it holds
 * the certificate's key either by presenting the certificate in the TLS handshake (mutual
 * TLS to {@code POST /v1/enrollments}) or by signing a server nonce
 * ({@code POST /v1/nonces}) and sending the chain, the nonce and the signature. The
 * certificate must chain to one of the profile's manufacturer CAs, be valid now, fit a
 * client (no CA, digital signature, client authentication when it names purposes), not be
 * on a manufacturer CRL, and name the subject's external id. The CSR's key may be new.
 */
public final class DeviceCertificateAttestor implements Attestor {
  private static final int MAX_CHAIN = 5;
  private static final String ANY_EKU = "2.5.29.37.0";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String SERIAL_NUMBER = "2.5.4.5";

  private final Nonces nonces;
  private final Map<Path, CachedCrl> crls = new ConcurrentHashMap<>();

  /**
   * A device-certificate attestor.
   *
   * @param nonces the server's nonces
   */
  public DeviceCertificateAttestor(Nonces nonces) {
    this.nonces = nonces;
  }

  @Override
  public String method() {
    return DeviceTrust.METHOD;
  }

  @Override
  public VerifiedAttestation attest(AttestationRequest request) {
    DeviceTrust trust = request.profile().settings(DeviceTrust.METHOD, DeviceTrust.class);
    List<X509Certificate> chain;
    String nonce = null;
    if (!request.clientCertificates().isEmpty()) {
      // The TLS handshake proved the key.
      chain = request.clientCertificates();
    } else {
      chain = parseChain(request.evidence().get("certificate"));
      nonce = text(request.evidence(), "nonce");
      proveKey(chain.get(0), nonce, text(request.evidence(), "signature"));
    }
    X509Certificate device = chain.get(0);

    checkChain(chain, trust, request.now());
    checkPurpose(device);
    checkKey(device);
    checkRevocation(device, trust);
    checkSubject(device, trust, request.externalId());

    Map<String, Object> claims = claims(device);
    String proved = nonce;
    String tenant = request.profile().tenant();
    return new VerifiedAttestation(DeviceTrust.METHOD, claims, claims, true,
        (tx, requestId) -> {
      if (proved != null) {
        nonces.consume(tx, tenant, proved);
      }
    });
  }

  private static List<X509Certificate> parseChain(Object pem) {
    if (!(pem instanceof String) || ((String) pem).isBlank()) {
      throw new EnrollException(ProblemType.CLIENT_CERTIFICATE_REQUIRED, "attestation of type"
          + " x509 needs the device certificate: present it in the TLS handshake, or send"
          + " 'certificate' (PEM chain), 'nonce' and 'signature'");
    }
    try {
      List<X509Certificate> chain = new ArrayList<>();
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      InputStream in = new ByteArrayInputStream(((String) pem).getBytes(StandardCharsets.UTF_8));
      factory.generateCertificates(in).forEach(c -> chain.add((X509Certificate) c));
      if (chain.isEmpty() || chain.size() > MAX_CHAIN) {
        throw new EnrollException(ProblemType.DEVICE_CERTIFICATE_MALFORMED, "certificate must"
            + " hold the device certificate and at most " + (MAX_CHAIN - 1)
            + " intermediates, in PEM");
      }
      return chain;
    } catch (GeneralSecurityException e) {
      throw new EnrollException(ProblemType.DEVICE_CERTIFICATE_MALFORMED,
          "certificate is not a PEM certificate chain");
    }
  }

  private static String text(Map<String, Object> evidence, String field) {
    Object value = evidence.get(field);
    if (!(value instanceof String) || ((String) value).isEmpty()) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED, "attestation of type x509"
          + " without a TLS client certificate needs a string field '" + field + "'");
    }
    return (String) value;
  }

  /** The signature over the nonce's UTF-8 bytes, with the device key. */
  private static void proveKey(X509Certificate device, String nonce, String signature) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED, "signature must be base64");
    }
    PublicKey key = device.getPublicKey();
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) {
      throw notProven();
    }
    try {
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(key);
      verifier.update(nonce.getBytes(StandardCharsets.UTF_8));
      if (!verifier.verify(bytes)) {
        throw notProven();
      }
    } catch (GeneralSecurityException e) {
      throw notProven();
    }
  }

  private static EnrollException notProven() {
    return new EnrollException(ProblemType.DEVICE_KEY_NOT_PROVEN, "the signature over the"
        + " nonce does not verify with the device certificate's key (sign the nonce's"
        + " UTF-8 bytes: SHA-256 with ECDSA or RSA, or pure Ed25519; send it in base64)");
  }

  private static void checkChain(List<X509Certificate> chain, DeviceTrust trust,
      Instant now) {
    X509Certificate device = chain.get(0);
    if (selfSigned(device)) {
      throw new EnrollException(ProblemType.DEVICE_CERTIFICATE_SELF_SIGNED,
          "the device certificate is self-signed; it must be issued by its manufacturer");
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> path = new ArrayList<>();
      for (X509Certificate certificate : chain) {
        boolean anchor = trust.anchors().stream()
            .anyMatch(a -> a.getTrustedCert().equals(certificate));
        if (!anchor) {
          path.add(certificate);
        }
      }
      CertPath certPath = factory.generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(trust.anchors());
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(now));
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    } catch (CertPathValidatorException e) {
      if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
          || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
        throw new EnrollException(ProblemType.DEVICE_CERTIFICATE_EXPIRED, "the device"
            + " certificate (or its chain) is not valid now: valid from "
            + device.getNotBefore().toInstant() + " to " + device.getNotAfter().toInstant());
      }
      throw new EnrollException(ProblemType.DEVICE_CERTIFICATE_UNTRUSTED, "the device"
          + " certificate does not chain to a manufacturer CA this profile trusts");
    } catch (GeneralSecurityException e) {
      throw new EnrollException(ProblemType.DEVICE_CERTIFICATE_UNTRUSTED, "the device"
          + " certificate does not chain to a manufacturer CA this profile trusts");
    }
  }

  private static boolean selfSigned(X509Certificate certificate) {
    if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
      return false;
    }
    try {
      certificate.verify(certificate.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static void checkPurpose(X509Certificate device) {
    String wrong = null;
    if (device.getBasicConstraints() >= 0) {
      wrong = "it is a CA certificate";
    } else if (device.getKeyUsage() != null && !device.getKeyUsage()[0]) {
      wrong = "its key usage lacks digitalSignature";
    } else {
      try {
        List<String> purposes = device.getExtendedKeyUsage();
        if (purposes != null && !purposes.contains(CLIENT_AUTH) && !purposes.contains(ANY_EKU)) {
          wrong = "its extended key usage lacks clientAuth";
        }
      } catch (java.security.cert.CertificateParsingException e) {
        wrong = "its extended key usage does not parse";
      }
    }
    if (wrong != null) {
      throw new EnrollException(ProblemType.DEVICE_CERTIFICATE_WRONG_PURPOSE,
          "the device certificate cannot identify a client: " + wrong);
    }
  }

  /** The device key must be as strong as a CSR's: RSA of 2048 bits, EC of 256. */
  private static void checkKey(X509Certificate device) {
    PublicKey key = device.getPublicKey();
    int bits = -1;
    if (key instanceof RSAPublicKey) {
      bits = ((RSAPublicKey) key).getModulus().bitLength();
      if (bits >= 2048) {
        return;
      }
    } else if (key instanceof ECPublicKey) {
      bits = ((ECPublicKey) key).getParams().getOrder().bitLength();
      if (bits >= 256) {
        return;
      }
    } else if ("Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())) {
      return;
    }
    throw new EnrollException(ProblemType.DEVICE_KEY_WEAK, "the device certificate's "
        + key.getAlgorithm() + " key" + (bits > 0 ? " of " + bits + " bits" : "")
        + " is too weak (RSA 2048, EC P-256 or Ed25519 at least)");
  }

  private void checkRevocation(X509Certificate device, DeviceTrust trust) {
    for (Path file : trust.crlFiles()) {
      X509CRL crl = crl(file);
      if (crl != null && crl.getIssuerX500Principal().equals(device.getIssuerX500Principal())
          && crl.isRevoked(device)) {
        throw new EnrollException(ProblemType.DEVICE_CERTIFICATE_REVOKED,
            "the manufacturer revoked the device certificate");
      }
    }
  }

  /** A CRL file, parsed again when it changes; one that does not parse counts as none. */
  private X509CRL crl(Path file) {
    try {
      long modified = Files.getLastModifiedTime(file).toMillis();
      CachedCrl cached = crls.get(file);
      if (cached != null && cached.modified() == modified) {
        return cached.crl();
      }
      try (InputStream in = Files.newInputStream(file)) {
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
        crls.put(file, new CachedCrl(modified, crl));
        return crl;
      }
    } catch (IOException | GeneralSecurityException e) {
      // Fail closed: a manufacturer CRL that cannot be read refuses its devices.
      throw new EnrollException(ProblemType.DEVICE_CERTIFICATE_REVOKED, "the manufacturer's"
          + " revocation list cannot be read now, so revocation cannot be ruled out");
    }
  }

  private static void checkSubject(X509Certificate device, DeviceTrust trust,
      String externalId) {
    List<String> names = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(device.getSubjectX500Principal().getName()).getRdns()) {
        boolean serial = rdn.getType().equalsIgnoreCase("serialNumber")
            || rdn.getType().equals(SERIAL_NUMBER) || rdn.getType().equals("OID." + SERIAL_NUMBER);
        boolean common = rdn.getType().equalsIgnoreCase("CN");
        if ("any".equals(trust.externalIdFrom()) && (serial || common)
            || "serialNumber".equals(trust.externalIdFrom()) && serial
            || "commonName".equals(trust.externalIdFrom()) && common) {
          names.add(valueText(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      names.clear();
    }
    if (!names.contains(externalId)) {
      throw new EnrollException(ProblemType.DEVICE_SUBJECT_MISMATCH, "the device certificate's "
          + trust.externalIdFrom() + " does not equal subject.externalId");
    }
  }

  private static String valueText(Object value) {
    if (value instanceof byte[]) {
      // An attribute RFC 2253 writes as #hex (serialNumber is a PrintableString).
      byte[] der = (byte[]) value;
      return der.length > 2 ? new String(der, 2, der.length - 2, StandardCharsets.UTF_8) : "";
    }
    return value.toString();
  }

  private static Map<String, Object> claims(X509Certificate device) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("device.subject", device.getSubjectX500Principal().getName());
    claims.put("device.issuer", device.getIssuerX500Principal().getName());
    claims.put("device.serial", device.getSerialNumber().toString(16).toUpperCase());
    try {
      claims.put("device.sha256", HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(device.getEncoded())));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return claims;
  }

  private record CachedCrl(long modified, X509CRL crl) {}
}
