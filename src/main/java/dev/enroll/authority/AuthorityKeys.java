package dev.enroll.authority;

import java.security.PrivateKey;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The CA's certificates and its online signing key.
 *
 * @param root the self-signed root certificate relying parties trust
 * @param issuing the issuing CA certificate, signed by the root
 * @param issuingKey the issuing CA's private key
 * @param keyType the issuing key's type
 */
public record AuthorityKeys(
    X509CertificateHolder root,
    X509CertificateHolder issuing,
    PrivateKey issuingKey,
    KeyType keyType) {}
