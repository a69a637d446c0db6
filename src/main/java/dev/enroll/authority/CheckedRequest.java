package dev.enroll.authority;

import java.security.PublicKey;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * A PKCS#10 certificate request that parsed, whose signature verified and whose key and
 * algorithms are acceptable. Its names are requests still to be decided by the profile.
 *
 * @param subject the requested subject name (may be empty)
 * @param requestedNames the requested subject alternative names (may be empty)
 * @param publicKeyInfo the key to certify
 * @param publicKey the same key, decoded
 * @param keyType its type
 * @param keyBits its size in bits
 */
public record CheckedRequest(
    X500Name subject,
    List<GeneralName> requestedNames,
    SubjectPublicKeyInfo publicKeyInfo,
    PublicKey publicKey,
    KeyType keyType,
    int keyBits) {

  /** Copies the names so the record stays immutable. */
  public CheckedRequest {
    requestedNames = List.copyOf(requestedNames);
  }
}
