package dev.enroll.authority;

import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * What the profile decided an end-entity certificate holds.
 *
 * @param subject the subject name; may be empty when there are alternative names
 * @param alternativeNames the subject alternative names
 * @param publicKeyInfo the key to certify
 * @param validity the requested lifetime (clamped to the issuer's)
 * @param keyUsage RFC 5280 key usage bits ({@link org.bouncycastle.asn1.x509.KeyUsage})
 * @param extendedKeyUsage extended key usages
 */
public record CertificateTemplate(
    X500Name subject,
    List<GeneralName> alternativeNames,
    SubjectPublicKeyInfo publicKeyInfo,
    Duration validity,
    int keyUsage,
    List<KeyPurposeId> extendedKeyUsage) {

  /** Copies the lists so the record stays immutable. */
  public CertificateTemplate {
    alternativeNames = List.copyOf(alternativeNames);
    extendedKeyUsage = List.copyOf(extendedKeyUsage);
  }
}
