package dev.enroll.authority;

import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Checks a PKCS#10 certificate request the way a strict but practical CA does, in an order
 * that gives each request its most telling verdict: structure, key type, signature, key
 * strength, signature hash, CA request, critical extensions, subject bounds, then names.
 *
 * <p>Each refusal is an {@link EnrollException} with its own problem type; the detail tells
 * the client what to change.
 */
public final class CertificationRequestCheck {
  private static final Set<ASN1ObjectIdentifier> UNDERSTOOD_CRITICAL = Set.of(
      Extension.subjectAlternativeName, Extension.keyUsage, Extension.extendedKeyUsage,
      Extension.basicConstraints, Extension.subjectKeyIdentifier);

  private final CryptoProviders providers;

  /**
   * A check that verifies signatures with the given providers.
   *
   * @param providers the JCA providers
   */
  public CertificationRequestCheck(CryptoProviders providers) {
    this.providers = providers;
  }

  /**
   * Checks a request.
   *
   * @param csrText the request as the client sent it (PEM, or base64 / base64url DER)
   * @param accepted the key types the profile accepts
   * @return the checked request
   * @throws EnrollException with a {@code csr-*} problem type when the request is refused
   */
  public CheckedRequest check(String csrText, Collection<KeyType> accepted) {
    byte[] der = RequestText.decode(csrText);
    return check(der, accepted);
  }

  /**
   * Checks a DER-encoded request.
   *
   * @param der the request
   * @param accepted the key types the profile accepts
   * @return the checked request
   * @throws EnrollException with a {@code csr-*} problem type when the request is refused
   */
  public CheckedRequest check(byte[] der, Collection<KeyType> accepted) {
    try {
      return checkParsed(der, accepted);
    } catch (EnrollException e) {
      throw e;
    } catch (RuntimeException e) {
      // A structure the checks above did not foresee (an absurd integer, a missing
      // parameter, bytes that are not UTF-8): still the client's request, still malformed.
      throw new EnrollException(ProblemType.CSR_MALFORMED,
          "the csr holds a value that cannot be read", e);
    }
  }

  private CheckedRequest checkParsed(byte[] der, Collection<KeyType> accepted) {
    // Structure: strict DER, known version, unique extensions.
    ParsedRequest parsed = ParsedRequest.parse(der);

    // Key type: one Enroll can certify at all.
    SubjectPublicKeyInfo spki = parsed.info().getSubjectPublicKeyInfo();
    KeyType keyType = KeyClassifier.classify(spki.getAlgorithm(), accepted);
    PublicKey key = decodeKey(keyType, spki);

    // Proof of possession.
    SignatureAlgorithm algorithm =
        SignatureAlgorithm.of(parsed.request().getSignatureAlgorithm());
    verify(parsed, algorithm, key);

    // Strength: key size, profile's key types, hash.
    int bits = keyBits(keyType, key);
    checkStrength(keyType, bits, accepted);
    if (algorithm.weakHash()) {
      throw new EnrollException(ProblemType.CSR_SIGNATURE_WEAK, "the csr is signed with "
          + algorithm.displayName() + "; sign it with SHA-256 or stronger");
    }

    // What is asked for: no CA, no critical extension we do not understand.
    Extensions extensions = parsed.extensions();
    checkNotCa(extensions);
    checkCriticalExtensions(extensions);

    // Names: subject bounds, then the alternative names' syntax.
    X500Name subject = parsed.info().getSubject();
    SubjectNames.checkBounds(subject);
    List<GeneralName> names = requestedNames(extensions);
    return new CheckedRequest(subject, names, spki, key, keyType, bits);
  }

  private PublicKey decodeKey(KeyType keyType, SubjectPublicKeyInfo spki) {
    try {
      return providers.publicKey(keyType.jcaAlgorithm(), spki.getEncoded(ASN1Encoding.DER));
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new EnrollException(ProblemType.CSR_MALFORMED, "the csr's public key is not a valid "
          + keyType.configName() + " key", e);
    }
  }

  private void verify(ParsedRequest parsed, SignatureAlgorithm algorithm, PublicKey key) {
    boolean valid;
    try {
      Signature engine;
      if (algorithm.weakHash() || algorithm.parameters() != null) {
        engine = Signature.getInstance(algorithm.jcaName(), providers.bouncyCastle());
        if (algorithm.parameters() != null) {
          engine.setParameter(algorithm.parameters());
        }
        engine.initVerify(key);
      } else {
        engine = providers.verifier(algorithm.jcaName(), key);
      }
      engine.update(parsed.signedBytes());
      valid = engine.verify(parsed.request().getSignature().getOctets());
    } catch (InvalidKeyException | SignatureException e) {
      valid = false;
    } catch (GeneralSecurityException e) {
      throw new EnrollException(ProblemType.CSR_ALGORITHM_UNSUPPORTED,
          "the csr's signature algorithm " + algorithm.displayName() + " is not supported", e);
    }
    if (!valid) {
      throw new EnrollException(ProblemType.CSR_SIGNATURE_INVALID,
          "the csr's signature does not verify with its public key");
    }
  }

  private static int keyBits(KeyType keyType, PublicKey key) {
    switch (keyType) {
      case RSA:
        return ((RSAPublicKey) key).getModulus().bitLength();
      case P_256:
      case ED25519:
        return 256;
      case P_384:
        return 384;
      default:
        return 521;
    }
  }

  private static void checkStrength(KeyType keyType, int bits, Collection<KeyType> accepted) {
    if (keyType == KeyType.RSA && bits < KeyType.RSA_MIN_BITS) {
      throw KeyClassifier.refusal(ProblemType.CSR_KEY_WEAK,
          "the csr's RSA key has " + bits + " bits; at least " + KeyType.RSA_MIN_BITS
              + " are required", accepted);
    }
    if (keyType == KeyType.RSA && bits > KeyType.RSA_MAX_BITS) {
      throw KeyClassifier.refusal(ProblemType.CSR_ALGORITHM_UNSUPPORTED,
          "the csr's RSA key has " + bits + " bits; at most " + KeyType.RSA_MAX_BITS
              + " are supported", accepted);
    }
    if (!accepted.contains(keyType)) {
      throw KeyClassifier.refusal(ProblemType.CSR_ALGORITHM_UNSUPPORTED,
          "this profile does not accept " + keyType.configName() + " keys", accepted);
    }
  }

  private static void checkNotCa(Extensions extensions) {
    if (extensions == null) {
      return;
    }
    BasicConstraints constraints;
    KeyUsage usage;
    try {
      constraints = BasicConstraints.fromExtensions(extensions);
      usage = KeyUsage.fromExtensions(extensions);
    } catch (IllegalArgumentException e) {
      throw new EnrollException(ProblemType.CSR_MALFORMED,
          "the csr's basic constraints or key usage extension does not parse", e);
    }
    if (constraints != null && constraints.isCA()) {
      throw new EnrollException(ProblemType.CSR_CA_REQUEST,
          "the csr asks for a CA certificate (basicConstraints CA:TRUE); Enroll issues end-entity"
              + " certificates only");
    }
    boolean caUsage = usage != null
        && (usage.hasUsages(KeyUsage.keyCertSign) || usage.hasUsages(KeyUsage.cRLSign));
    if (caUsage) {
      throw new EnrollException(ProblemType.CSR_CA_REQUEST,
          "the csr asks for keyCertSign or cRLSign key usage, which only CAs hold");
    }
  }

  private static void checkCriticalExtensions(Extensions extensions) {
    if (extensions == null) {
      return;
    }
    List<String> unknown = Arrays.stream(extensions.getCriticalExtensionOIDs())
        .filter(oid -> !UNDERSTOOD_CRITICAL.contains(oid))
        .map(ASN1ObjectIdentifier::getId)
        .collect(Collectors.toList());
    if (!unknown.isEmpty()) {
      throw new EnrollException(ProblemType.CSR_MALFORMED,
          "the csr marks extensions Enroll does not support as critical: "
              + String.join(", ", unknown));
    }
  }

  private static List<GeneralName> requestedNames(Extensions extensions) {
    Extension san =
        extensions == null ? null : extensions.getExtension(Extension.subjectAlternativeName);
    if (san == null) {
      return List.of();
    }
    GeneralNames names;
    try {
      names = GeneralNames.getInstance(san.getParsedValue());
    } catch (IllegalArgumentException e) {
      throw new EnrollException(ProblemType.CSR_MALFORMED,
          "the csr's subject alternative name extension does not parse", e);
    }
    List<GeneralName> result = new ArrayList<>();
    for (GeneralName name : names.getNames()) {
      SubjectNames.checkSyntax(name);
      result.add(name);
    }
    return result;
  }

  /** A request split into its parts, with the structural checks done. */
  private record ParsedRequest(
      CertificationRequest request,
      CertificationRequestInfo info,
      Extensions extensions,
      byte[] signedBytes) {

    static ParsedRequest parse(byte[] der) {
      CertificationRequest request;
      byte[] signed;
      try {
        ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
        if (!Arrays.equals(der, primitive.getEncoded(ASN1Encoding.DER))) {
          throw malformed("the csr is not DER-encoded");
        }
        ASN1Sequence outer = ASN1Sequence.getInstance(primitive);
        if (outer.size() != 3) {
          throw malformed("the csr does not have the three parts of a PKCS#10 request");
        }
        request = CertificationRequest.getInstance(outer);
        signed = outer.getObjectAt(0).toASN1Primitive().getEncoded(ASN1Encoding.DER);
      } catch (IOException | IllegalArgumentException | IllegalStateException
          | ClassCastException e) {
        throw new EnrollException(ProblemType.CSR_MALFORMED, "the csr does not parse as"
            + " PKCS#10", e);
      }
      CertificationRequestInfo info = request.getCertificationRequestInfo();
      int version = info.getVersion().intValueExact();
      // Version 2 is tolerated: pyOpenSSL wrote it and OpenSSL accepts it.
      if (version != 0 && version != 2) {
        throw malformed("the csr has version " + version + "; PKCS#10 defines only version 0");
      }
      return new ParsedRequest(request, info, extensions(info), signed);
    }

    private static Extensions extensions(CertificationRequestInfo info) {
      ASN1Set attributes = info.getAttributes();
      if (attributes == null) {
        return null;
      }
      Extensions found = null;
      for (ASN1Encodable element : attributes) {
        Attribute attribute;
        try {
          attribute = Attribute.getInstance(element);
        } catch (IllegalArgumentException e) {
          throw malformed("a csr attribute does not parse");
        }
        if (!PKCSObjectIdentifiers.pkcs_9_at_extensionRequest.equals(attribute.getAttrType())) {
          continue;
        }
        if (found != null || attribute.getAttrValues().size() != 1) {
          throw malformed("the csr has more than one extension request");
        }
        found = strictExtensions(attribute.getAttrValues().getObjectAt(0));
      }
      return found;
    }

    private static Extensions strictExtensions(ASN1Encodable value) {
      Extensions extensions;
      try {
        extensions = Extensions.getInstance(value);
      } catch (IllegalArgumentException e) {
        throw malformed("the csr's extension request does not parse: it may repeat an"
            + " extension");
      }
      try {
        for (ASN1Encodable element : ASN1Sequence.getInstance(value)) {
          byte[] original = element.toASN1Primitive().getEncoded(ASN1Encoding.DER);
          byte[] canonical = Extension.getInstance(element).getEncoded(ASN1Encoding.DER);
          if (!Arrays.equals(original, canonical)) {
            throw malformed("an extension in the csr is not DER-encoded (for example an"
                + " explicit critical FALSE)");
          }
        }
      } catch (IOException e) {
        throw malformed("the csr's extension request does not encode");
      }
      return extensions;
    }

    private static EnrollException malformed(String detail) {
      return new EnrollException(ProblemType.CSR_MALFORMED, detail);
    }
  }
}
