package dev.enroll.authority;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * The issuing CA: signs end-entity certificates from templates the profile decided.
 *
 * <p>Every certificate carries basic constraints, key usage, subject and authority key
 * identifiers, a CRL distribution point and OCSP and CA-issuer locations on the plain HTTP
 * port. {@code notBefore} is backdated for clock skew; {@code notAfter} never passes the
 * issuer's.
 */
public final class CertificateAuthority {
  private static final HexFormat HEX = HexFormat.of();

  private final AuthorityKeys keys;
  private final CryptoProviders providers;
  private final Clock clock;
  private final Duration backdate;
  private final String httpBaseUrl;
  private final byte[] issuerKeyId;
  private final String issuerId;
  private final SignerGuard guard;
  private final String chainPem;

  /**
   * A CA signing with the given keys.
   *
   * @param keys the root and issuing certificates and the issuing key
   * @param providers the JCA providers
   * @param clock the clock
   * @param backdate how far {@code notBefore} lies before the time of issue
   * @param httpBaseUrl the plain HTTP port's base URL as relying parties reach it
   */
  public CertificateAuthority(
      AuthorityKeys keys, CryptoProviders providers, Clock clock, Duration backdate,
      String httpBaseUrl) {
    this(keys, providers, clock, backdate, httpBaseUrl, SignerGuard.plain());
  }

  /**
   * The CA, with end-entity signing behind a guard (breaker, fault switch, metrics).
   *
   * @param keys the CA keys and certificates
   * @param providers the crypto providers
   * @param clock the clock
   * @param backdate how far notBefore lies in the past
   * @param httpBaseUrl the plain port's base URL, for CRL, OCSP and CA-issuer URLs
   * @param guard the signer guard
   */
  public CertificateAuthority(
      AuthorityKeys keys, CryptoProviders providers, Clock clock, Duration backdate,
      String httpBaseUrl, SignerGuard guard) {
    this.guard = guard;
    this.chainPem = Pem.certificate(encoded(keys.issuing()));
    this.keys = keys;
    this.providers = providers;
    this.clock = clock;
    this.backdate = backdate;
    this.httpBaseUrl = httpBaseUrl.endsWith("/")
        ? httpBaseUrl.substring(0, httpBaseUrl.length() - 1) : httpBaseUrl;
    this.issuerKeyId = keyIdentifier(keys.issuing().getSubjectPublicKeyInfo());
    this.issuerId = HEX.formatHex(issuerKeyId, 0, 8);
  }

  /**
   * Signs an end-entity certificate.
   *
   * @param template what the certificate holds
   * @return the certificate
   * @throws SignerUnavailableException when the signer cannot sign now
   */
  public IssuedCertificate issue(CertificateTemplate template) {
    Instant now = clock.instant();
    // Certificates keep whole seconds (RFC 5280 4.1.2.5): the times returned are those signed.
    Instant notBefore = now.minus(backdate).truncatedTo(ChronoUnit.SECONDS);
    Instant issuerEnd = keys.issuing().getNotAfter().toInstant();
    Instant wanted = now.plus(template.validity());
    Instant notAfter = (wanted.isAfter(issuerEnd) ? issuerEnd : wanted)
        .truncatedTo(ChronoUnit.SECONDS);
    BigInteger serial = Serial.next();

    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
        keys.issuing().getSubject(), serial, Date.from(notBefore), Date.from(notAfter),
        template.subject(), template.publicKeyInfo());
    try {
      addEndEntityExtensions(builder, template);
    } catch (CertIOException e) {
      throw new UncheckedIOException(e);
    }
    X509CertificateHolder holder = guard.sign(() ->
        sign(builder, keys.issuingKey(), keys.keyType()));
    byte[] der = encoded(holder);
    return new IssuedCertificate(serial, Serial.format(serial), der, Pem.certificate(der),
        notBefore, notAfter, publicKeySha256(template.publicKeyInfo()));
  }

  private void addEndEntityExtensions(X509v3CertificateBuilder builder, CertificateTemplate t)
      throws CertIOException {
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(t.keyUsage()));
    if (!t.extendedKeyUsage().isEmpty()) {
      builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(t.extendedKeyUsage().toArray(new KeyPurposeId[0])));
    }
    builder.addExtension(Extension.subjectKeyIdentifier, false,
        new SubjectKeyIdentifier(keyIdentifier(t.publicKeyInfo())));
    builder.addExtension(Extension.authorityKeyIdentifier, false,
        new AuthorityKeyIdentifier(issuerKeyId));
    if (!t.alternativeNames().isEmpty()) {
      // RFC 5280 4.1.2.6: with an empty subject the alternative names must be critical.
      boolean critical = t.subject().getRDNs().length == 0;
      builder.addExtension(Extension.subjectAlternativeName, critical,
          new GeneralNames(t.alternativeNames().toArray(new GeneralName[0])));
    }
    GeneralName crl = uri(crlUrl());
    builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(
        new DistributionPoint[] {new DistributionPoint(
            new DistributionPointName(new GeneralNames(crl)), null, null)}));
    builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
        new AccessDescription[] {
          new AccessDescription(AccessDescription.id_ad_ocsp, uri(httpBaseUrl + "/ocsp")),
          new AccessDescription(AccessDescription.id_ad_caIssuers,
              uri(httpBaseUrl + "/ca/issuing.crt"))
        }));
  }

  /** The URL of this issuer's CRL, as written into certificates. */
  public String crlUrl() {
    return httpBaseUrl + "/crl/" + issuerId + ".crl";
  }

  /** A short stable name of the issuing CA: the first 8 bytes of its key id, in hex. */
  public String issuerId() {
    return issuerId;
  }

  /** The root and issuing certificates and key. */
  public AuthorityKeys keys() {
    return keys;
  }

  /** The root certificate in PEM. */
  public String rootPem() {
    return Pem.certificate(encoded(keys.root()));
  }

  /** The chain a client presents above its certificate: the issuing CA, in PEM. */
  public String chainPem() {
    return chainPem;
  }

  /**
   * The SHA-256 fingerprint of the root certificate as {@code openssl x509 -fingerprint
   * -sha256} prints it: uppercase hex pairs separated by colons.
   */
  public String rootFingerprint() {
    String hex = sha256Hex(encoded(keys.root())).toUpperCase(java.util.Locale.ROOT);
    return String.join(":", hex.split("(?<=\\G..)"));
  }

  /**
   * A signer with the issuing CA's key, for one structure (a CRL, an OCSP response).
   *
   * @return a content signer
   */
  ContentSigner issuingSigner() {
    try {
      return new JcaContentSigner(providers, keys.keyType().signatureAlgorithm(),
          keys.issuingKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the CA key cannot sign", e);
    }
  }

  /** The issuing CA and root certificates, in JCA form, issuing CA first. */
  public java.util.List<java.security.cert.X509Certificate> caCertificates() {
    try {
      org.bouncycastle.cert.jcajce.JcaX509CertificateConverter converter =
          new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter();
      return java.util.List.of(converter.getCertificate(keys.issuing()),
          converter.getCertificate(keys.root()));
    } catch (java.security.cert.CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether a certificate carries the issuing CA's valid signature. Says nothing of its
   * validity period or status.
   *
   * @param certificate the certificate
   * @return true when the issuing CA signed it
   */
  public boolean signedByIssuer(X509CertificateHolder certificate) {
    try {
      return certificate.getIssuer().equals(keys.issuing().getSubject())
          && certificate.isSignatureValid(new org.bouncycastle.operator.jcajce
              .JcaContentVerifierProviderBuilder().setProvider(providers.bouncyCastle())
              .build(keys.issuing()));
    } catch (org.bouncycastle.operator.OperatorCreationException
        | org.bouncycastle.cert.CertException | java.security.cert.CertificateException e) {
      return false;
    }
  }

  /** The issuing CA's key identifier (SHA-1 of its public key bits). */
  byte[] issuingKeyIdentifier() {
    return issuerKeyId.clone();
  }

  X509CertificateHolder sign(
      X509v3CertificateBuilder builder, PrivateKey key, KeyType keyType) {
    try {
      return builder.build(new JcaContentSigner(providers, keyType.signatureAlgorithm(), key));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the CA key cannot sign", e);
    }
  }

  static byte[] keyIdentifier(SubjectPublicKeyInfo spki) {
    try {
      // RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bit string.
      return MessageDigest.getInstance("SHA-1").digest(spki.getPublicKeyData().getBytes());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] encoded(X509CertificateHolder holder) {
    try {
      return holder.getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The hex SHA-256 of a SubjectPublicKeyInfo, as credentials record it to find a key's reuse.
   *
   * @param spki the key
   * @return 64 hex digits
   */
  public static String publicKeySha256(SubjectPublicKeyInfo spki) {
    try {
      return sha256Hex(spki.getEncoded(ASN1Encoding.DER));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static GeneralName uri(String url) {
    return new GeneralName(GeneralName.uniformResourceIdentifier, url);
  }

  /**
   * The empty name, for certificates whose identity is all in alternative names.
   *
   * @return an X.500 name without RDNs
   */
  public static X500Name emptyName() {
    return new X500Name(new org.bouncycastle.asn1.x500.RDN[0]);
  }
}
