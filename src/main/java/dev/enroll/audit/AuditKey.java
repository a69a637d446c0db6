package dev.enroll.audit;

import dev.enroll.authority.CryptoProviders;
import dev.enroll.authority.KeyFiles;
import dev.enroll.authority.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The key that signs audit checkpoints: ECDSA P-256, used for nothing else. Its private half
 * is encrypted beside the CA keys; its public half is kept in {@code audit.pub.pem} and in
 * the store, so an auditor can verify with nothing but the log and that key.
 */
public final class AuditKey {
  /** The signature algorithm of checkpoints. */
  public static final String ALGORITHM = "SHA256withECDSA";

  private static final String PRIVATE_FILE = "audit.key.pem";
  private static final String PUBLIC_FILE = "audit.pub.pem";

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final CryptoProviders providers;

  private AuditKey(PrivateKey privateKey, PublicKey publicKey, CryptoProviders providers) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.providers = providers;
  }

  /**
   * Loads the audit key from a directory, creating it on first use.
   *
   * @param directory the directory of the CA keys
   * @param keyFiles reads and writes encrypted keys
   * @param providers the crypto providers
   * @return the key
   */
  public static AuditKey openOrCreate(Path directory, KeyFiles keyFiles,
      CryptoProviders providers) {
    Path privateFile = directory.resolve(PRIVATE_FILE);
    Path publicFile = directory.resolve(PUBLIC_FILE);
    try {
      if (Files.exists(privateFile)) {
        return new AuditKey(keyFiles.read(privateFile, "EC"),
            parsePublicKey(Files.readString(publicFile)), providers);
      }
      KeyPairGenerator generator = providers.keyPairGenerator("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      keyFiles.write(privateFile, pair.getPrivate());
      Files.writeString(publicFile, Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded()));
      return new AuditKey(pair.getPrivate(), pair.getPublic(), providers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the audit key", e);
    }
  }

  /**
   * Whether a directory holds an audit key.
   *
   * @param directory the directory of the CA keys
   * @return true when the key exists
   */
  public static boolean exists(Path directory) {
    return Files.exists(directory.resolve(PRIVATE_FILE));
  }

  /** The public key in PEM. */
  public String publicKeyPem() {
    return Pem.encode("PUBLIC KEY", publicKey.getEncoded());
  }

  /** The key's id: the first 16 hex digits of the SHA-256 of its public key. */
  public String keyId() {
    return keyId(publicKey);
  }

  /**
   * Signs a checkpoint.
   *
   * @param seq the sequence number of the head
   * @param headHash the head's hash
   * @param time the time of signing
   * @return the signed checkpoint
   */
  public Checkpoint sign(long seq, String headHash, Instant time) {
    // Microseconds: the precision every store keeps, so the stored time is the signed one.
    Instant at = time.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    Checkpoint unsigned = new Checkpoint(seq, headHash, at, keyId(), "");
    try {
      Signature signer = providers.signer(ALGORITHM, privateKey);
      signer.update(unsigned.signedText());
      return new Checkpoint(seq, headHash, at, keyId(),
          Base64.getEncoder().encodeToString(signer.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign an audit checkpoint", e);
    }
  }

  /**
   * Whether a checkpoint's signature is valid under a public key.
   *
   * @param checkpoint the checkpoint
   * @param key the audit public key
   * @return true when the signature verifies
   */
  public static boolean verify(Checkpoint checkpoint, PublicKey key) {
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(checkpoint.signedText());
      return verifier.verify(Base64.getDecoder().decode(checkpoint.signature()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Reads a public key from PEM.
   *
   * @param pem a {@code PUBLIC KEY} PEM block
   * @return the key
   */
  public static PublicKey parsePublicKey(String pem) {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an EC public key in PEM", e);
    }
  }

  /**
   * The id of a public key.
   *
   * @param key the key
   * @return 16 hex digits
   */
  public static String keyId(PublicKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
