package dev.enroll.authority;

import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * A signature algorithm of a certificate request, mapped to its JCA name.
 *
 * @param jcaName the JCA signature name
 * @param displayName how the algorithm is named to clients
 * @param weakHash whether its hash is weaker than SHA-256 (MD2, MD4, MD5, SHA-1, SHA-224)
 * @param parameters JCA parameters (RSASSA-PSS), or null
 */
record SignatureAlgorithm(
    String jcaName, String displayName, boolean weakHash, AlgorithmParameterSpec parameters) {

  private static final Map<ASN1ObjectIdentifier, SignatureAlgorithm> KNOWN = Map.ofEntries(
      plain(PKCSObjectIdentifiers.md2WithRSAEncryption, "MD2withRSA", true),
      plain(PKCSObjectIdentifiers.md4WithRSAEncryption, "MD4withRSA", true),
      plain(PKCSObjectIdentifiers.md5WithRSAEncryption, "MD5withRSA", true),
      plain(PKCSObjectIdentifiers.sha1WithRSAEncryption, "SHA1withRSA", true),
      plain(PKCSObjectIdentifiers.sha224WithRSAEncryption, "SHA224withRSA", true),
      plain(PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA256withRSA", false),
      plain(PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA384withRSA", false),
      plain(PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA512withRSA", false),
      plain(X9ObjectIdentifiers.ecdsa_with_SHA1, "SHA1withECDSA", true),
      plain(X9ObjectIdentifiers.ecdsa_with_SHA224, "SHA224withECDSA", true),
      plain(X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA", false),
      plain(X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA", false),
      plain(X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA", false),
      plain(EdECObjectIdentifiers.id_Ed25519, "Ed25519", false));

  private static final Map<ASN1ObjectIdentifier, String> PSS_HASHES = Map.of(
      OIWObjectIdentifiers.idSHA1, "SHA-1",
      NISTObjectIdentifiers.id_sha224, "SHA-224",
      NISTObjectIdentifiers.id_sha256, "SHA-256",
      NISTObjectIdentifiers.id_sha384, "SHA-384",
      NISTObjectIdentifiers.id_sha512, "SHA-512");

  private static Map.Entry<ASN1ObjectIdentifier, SignatureAlgorithm> plain(
      ASN1ObjectIdentifier oid, String name, boolean weak) {
    return Map.entry(oid, new SignatureAlgorithm(name, name, weak, null));
  }

  /**
   * Maps an algorithm identifier.
   *
   * @param identifier the request's signature algorithm
   * @return the algorithm
   * @throws EnrollException {@code csr-algorithm-unsupported} when it is not one Enroll knows
   */
  static SignatureAlgorithm of(AlgorithmIdentifier identifier) {
    ASN1ObjectIdentifier oid = identifier.getAlgorithm();
    SignatureAlgorithm known = KNOWN.get(oid);
    if (known != null) {
      return known;
    }
    if (PKCSObjectIdentifiers.id_RSASSA_PSS.equals(oid)) {
      return pss(identifier);
    }
    throw new EnrollException(ProblemType.CSR_ALGORITHM_UNSUPPORTED,
        "the csr's signature algorithm " + oid.getId() + " is not supported; sign with ECDSA,"
            + " RSA PKCS#1 v1.5 or PSS with SHA-256 or stronger, or Ed25519");
  }

  private static SignatureAlgorithm pss(AlgorithmIdentifier identifier) {
    RSASSAPSSparams params;
    try {
      params = RSASSAPSSparams.getInstance(identifier.getParameters());
    } catch (IllegalArgumentException e) {
      throw new EnrollException(ProblemType.CSR_MALFORMED, "the csr's RSASSA-PSS parameters"
          + " do not parse", e);
    }
    String hash = PSS_HASHES.get(params.getHashAlgorithm().getAlgorithm());
    AlgorithmIdentifier mgf = params.getMaskGenAlgorithm();
    String mgfHash = PSS_HASHES.get(
        AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm());
    if (hash == null || mgfHash == null
        || !PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())) {
      throw new EnrollException(ProblemType.CSR_ALGORITHM_UNSUPPORTED,
          "the csr's RSASSA-PSS parameters name an unsupported hash or mask function");
    }
    PSSParameterSpec spec = new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(mgfHash),
        params.getSaltLength().intValueExact(), params.getTrailerField().intValueExact());
    return new SignatureAlgorithm(
        "RSASSA-PSS", "RSASSA-PSS with " + hash, "SHA-1".equals(hash) || "SHA-224".equals(hash),
        spec);
  }
}
