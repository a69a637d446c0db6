package dev.enroll.authority;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the JCA providers: a native-backed provider (Amazon Corretto Crypto Provider) for
 * signing and verifying where it loads, BouncyCastle where it does not or where the native
 * one lacks an algorithm. BouncyCastle always builds and parses the structures.
 */
public final class CryptoProviders {
  private static final Logger LOG = LoggerFactory.getLogger(CryptoProviders.class);
  private static final String ACCP =
      "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
  private static volatile CryptoProviders instance;

  private final Provider bouncyCastle;
  private final Provider fast;
  private final Map<String, Provider> engineProviders = new ConcurrentHashMap<>();
  private final Map<String, Provider> signatureProviders = new ConcurrentHashMap<>();
  private final Map<String, Provider> keyFactoryProviders = new ConcurrentHashMap<>();

  private CryptoProviders(Provider bouncyCastle, Provider fast) {
    this.bouncyCastle = bouncyCastle;
    this.fast = fast;
  }

  /** The process-wide providers, chosen once. */
  public static CryptoProviders get() {
    CryptoProviders local = instance;
    if (local == null) {
      synchronized (CryptoProviders.class) {
        local = instance;
        if (local == null) {
          local = choose();
          instance = local;
        }
      }
    }
    return local;
  }

  private static CryptoProviders choose() {
    Provider bc = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
    if (bc == null) {
      bc = new BouncyCastleProvider();
      Security.addProvider(bc);
    }
    Provider fast = loadNative();
    String name = fast != null ? fast.getName() : bc.getName();
    LOG.atDebug().addKeyValue("provider", name)
        .addKeyValue("native", fast != null)
        .log("signature provider selected");
    return new CryptoProviders(bc, fast);
  }

  private static Provider loadNative() {
    if (Boolean.getBoolean("enroll.crypto.bouncyCastleOnly")) {
      return null;
    }
    try {
      Class<?> type = Class.forName(ACCP);
      Provider provider = (Provider) type.getField("INSTANCE").get(null);
      type.getMethod("assertHealthy").invoke(provider);
      return provider;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      LOG.atWarn().addKeyValue("reason", e.toString())
          .log("native crypto provider unavailable; using BouncyCastle");
      return null;
    }
  }

  /** BouncyCastle, for structures and algorithms the native provider lacks. */
  public Provider bouncyCastle() {
    return bouncyCastle;
  }

  /** The name of the provider used for signing where it can. */
  public String signingProviderName() {
    return fast != null ? fast.getName() : bouncyCastle.getName();
  }

  /**
   * A signature engine for the algorithm from the fastest provider that has it.
   *
   * @param algorithm a JCA signature name, such as {@code SHA256withECDSA}
   * @return a new engine
   * @throws NoSuchAlgorithmException if no provider has it
   */
  public Signature signature(String algorithm) throws NoSuchAlgorithmException {
    Provider known = signatureProviders.get(algorithm);
    if (known != null) {
      return Signature.getInstance(algorithm, known);
    }
    if (fast != null) {
      try {
        Signature engine = Signature.getInstance(algorithm, fast);
        signatureProviders.put(algorithm, fast);
        return engine;
      } catch (NoSuchAlgorithmException e) {
        // Fall through to BouncyCastle.
      }
    }
    Signature engine = Signature.getInstance(algorithm, bouncyCastle);
    signatureProviders.put(algorithm, bouncyCastle);
    return engine;
  }

  /**
   * A signature engine ready to verify with the key: from the fastest provider that accepts
   * the key, else from BouncyCastle (a provider may have the algorithm but not decode the
   * key family, as ACCP 2.5 with Ed25519).
   *
   * @param algorithm a JCA signature name
   * @param key the public key
   * @return an engine after {@code initVerify}
   * @throws GeneralSecurityException if no provider takes the algorithm and key
   */
  public Signature verifier(String algorithm, PublicKey key) throws GeneralSecurityException {
    String slot = algorithm + "/" + key.getClass().getName();
    Provider known = engineProviders.get(slot);
    if (known != null) {
      Signature engine = Signature.getInstance(algorithm, known);
      engine.initVerify(key);
      return engine;
    }
    Signature engine = signature(algorithm);
    try {
      engine.initVerify(key);
    } catch (InvalidKeyException e) {
      engine = Signature.getInstance(algorithm, bouncyCastle);
      engine.initVerify(key);
    }
    engineProviders.put(slot, engine.getProvider());
    return engine;
  }

  /**
   * A signature engine ready to sign with the key; providers chosen as for
   * {@link #verifier(String, PublicKey)}.
   *
   * @param algorithm a JCA signature name
   * @param key the private key
   * @return an engine after {@code initSign}
   * @throws GeneralSecurityException if no provider takes the algorithm and key
   */
  public Signature signer(String algorithm, PrivateKey key) throws GeneralSecurityException {
    String slot = algorithm + "/" + key.getClass().getName();
    Provider known = engineProviders.get(slot);
    if (known != null) {
      Signature engine = Signature.getInstance(algorithm, known);
      engine.initSign(key);
      return engine;
    }
    Signature engine = signature(algorithm);
    try {
      engine.initSign(key);
    } catch (InvalidKeyException e) {
      engine = Signature.getInstance(algorithm, bouncyCastle);
      engine.initSign(key);
    }
    engineProviders.put(slot, engine.getProvider());
    return engine;
  }

  /**
   * Decodes a public key from its SubjectPublicKeyInfo with the provider that will verify.
   *
   * @param algorithm the JCA key algorithm ({@code EC}, {@code RSA}, {@code Ed25519})
   * @param spki the DER SubjectPublicKeyInfo
   * @return the key
   * @throws GeneralSecurityException if the key does not decode
   */
  public PublicKey publicKey(String algorithm, byte[] spki) throws GeneralSecurityException {
    return keyFactory(algorithm).generatePublic(new X509EncodedKeySpec(spki));
  }

  /**
   * Decodes a private key from PKCS#8 with the provider that will sign.
   *
   * @param algorithm the JCA key algorithm
   * @param pkcs8 the DER PKCS#8 encoding
   * @return the key
   * @throws GeneralSecurityException if the key does not decode
   */
  public PrivateKey privateKey(String algorithm, byte[] pkcs8) throws GeneralSecurityException {
    return keyFactory(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
  }

  /**
   * A key pair generator from the fastest provider that has the algorithm.
   *
   * @param algorithm {@code EC}, {@code RSA} or {@code Ed25519}
   * @return a new generator
   * @throws NoSuchAlgorithmException if no provider has it
   */
  public java.security.KeyPairGenerator keyPairGenerator(String algorithm)
      throws NoSuchAlgorithmException {
    if (fast != null) {
      try {
        return java.security.KeyPairGenerator.getInstance(algorithm, fast);
      } catch (NoSuchAlgorithmException e) {
        // Fall through to BouncyCastle.
      }
    }
    return java.security.KeyPairGenerator.getInstance(algorithm, bouncyCastle);
  }

  private KeyFactory keyFactory(String algorithm) throws NoSuchAlgorithmException {
    Provider known = keyFactoryProviders.get(algorithm);
    if (known != null) {
      return KeyFactory.getInstance(algorithm, known);
    }
    Provider chosen = bouncyCastle;
    if (fast != null) {
      try {
        KeyFactory.getInstance(algorithm, fast);
        chosen = fast;
      } catch (NoSuchAlgorithmException e) {
        chosen = bouncyCastle;
      }
    }
    keyFactoryProviders.put(algorithm, chosen);
    return KeyFactory.getInstance(algorithm, chosen);
  }
}
