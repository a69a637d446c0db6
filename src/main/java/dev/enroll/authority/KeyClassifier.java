package dev.enroll.authority;

import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** Tells the key type of a SubjectPublicKeyInfo, refusing types Enroll cannot certify. */
final class KeyClassifier {
  private static final Map<ASN1ObjectIdentifier, KeyType> CURVES = Map.of(
      SECObjectIdentifiers.secp256r1, KeyType.P_256,
      SECObjectIdentifiers.secp384r1, KeyType.P_384,
      SECObjectIdentifiers.secp521r1, KeyType.P_521);
  private static final Set<ASN1ObjectIdentifier> WEAK_CURVES = Set.of(
      SECObjectIdentifiers.secp192r1, SECObjectIdentifiers.secp224r1,
      SECObjectIdentifiers.secp192k1, SECObjectIdentifiers.secp224k1);

  private KeyClassifier() {}

  static KeyType classify(AlgorithmIdentifier algorithm, Collection<KeyType> accepted) {
    ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
    if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
      return KeyType.RSA;
    }
    if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
      return KeyType.ED25519;
    }
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
      return curve(algorithm, accepted);
    }
    String name = X9ObjectIdentifiers.id_dsa.equals(oid) ? "DSA" : oid.getId();
    throw refusal(ProblemType.CSR_ALGORITHM_UNSUPPORTED,
        "the csr's key type " + name + " is not supported", accepted);
  }

  private static KeyType curve(AlgorithmIdentifier algorithm, Collection<KeyType> accepted) {
    if (!(algorithm.getParameters() instanceof ASN1ObjectIdentifier)) {
      throw refusal(ProblemType.CSR_ALGORITHM_UNSUPPORTED,
          "the csr's EC key does not name its curve", accepted);
    }
    ASN1ObjectIdentifier curve = (ASN1ObjectIdentifier) algorithm.getParameters();
    KeyType type = CURVES.get(curve);
    if (type != null) {
      return type;
    }
    if (WEAK_CURVES.contains(curve)) {
      throw refusal(ProblemType.CSR_KEY_WEAK,
          "the csr's EC key is on a curve under 256 bits (" + curve.getId() + ")", accepted);
    }
    throw refusal(ProblemType.CSR_ALGORITHM_UNSUPPORTED,
        "the csr's EC key is on the unsupported curve " + curve.getId(), accepted);
  }

  static EnrollException refusal(
      ProblemType type, String detail, Collection<KeyType> accepted) {
    List<String> names = accepted.stream().map(KeyType::describe).collect(Collectors.toList());
    return new EnrollException(type, detail + "; accepted keys: " + String.join(", ", names))
        .with("acceptedKeys", names);
  }
}
