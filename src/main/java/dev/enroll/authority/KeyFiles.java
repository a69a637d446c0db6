package dev.enroll.authority;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.SecureRandom;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Private keys at rest: PKCS#8 encrypted with AES-256-CBC under a PBKDF2-HMAC-SHA256 key
 * (the format {@code openssl pkey} reads), in files only the owner can read.
 */
public final class KeyFiles {
  private static final int ITERATIONS = 200_000;

  private final char[] passphrase;
  private final CryptoProviders providers;

  /**
   * Key files protected by a passphrase.
   *
   * @param passphrase the passphrase; never logged
   * @param providers the JCA providers
   */
  public KeyFiles(char[] passphrase, CryptoProviders providers) {
    this.passphrase = passphrase.clone();
    this.providers = providers;
  }

  /**
   * Writes a private key, encrypted, readable by the owner only.
   *
   * @param file the file
   * @param key the key
   */
  public void write(Path file, PrivateKey key) {
    try {
      OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(
              PKCS8Generator.AES_256_CBC)
          .setPRF(PKCS8Generator.PRF_HMACSHA256)
          .setIterationCount(ITERATIONS)
          .setRandom(new SecureRandom())
          .setProvider(providers.bouncyCastle())
          .setPassword(passphrase)
          .build();
      PemObject pem = new PKCS8Generator(PrivateKeyInfo.getInstance(key.getEncoded()), encryptor)
          .generate();
      StringWriter text = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
        writer.writeObject(pem);
      }
      writeOwnerOnly(file, text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot encrypt key", e);
    }
  }

  /**
   * Reads and decrypts a private key.
   *
   * @param file the file
   * @param algorithm the JCA key algorithm
   * @return the key, decoded by the provider that will sign with it
   * @throws IllegalStateException if the passphrase is wrong or the file is not a key
   */
  public PrivateKey read(Path file, String algorithm) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      if (!(object instanceof PKCS8EncryptedPrivateKeyInfo)) {
        throw new IllegalStateException(file + " does not hold an encrypted private key");
      }
      PrivateKeyInfo info = ((PKCS8EncryptedPrivateKeyInfo) object).decryptPrivateKeyInfo(
          new JceOpenSSLPKCS8DecryptorProviderBuilder()
              .setProvider(providers.bouncyCastle())
              .build(passphrase));
      return providers.privateKey(algorithm, info.getEncoded());
    } catch (PKCSException e) {
      throw new IllegalStateException("cannot decrypt " + file
          + ": the key passphrase (ENROLL_KEY_PASSPHRASE) does not match", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OperatorCreationException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot read key " + file, e);
    }
  }

  /**
   * Reads a PEM certificate.
   *
   * @param file the file
   * @return the certificate
   */
  public static X509CertificateHolder readCertificate(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      if (!(object instanceof X509CertificateHolder)) {
        throw new IllegalStateException(file + " does not hold a certificate");
      }
      return (X509CertificateHolder) object;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a text file that only its owner can read or write.
   *
   * @param file the file
   * @param text the contents
   * @throws IOException if it cannot be written
   */
  public static void writeOwnerOnly(Path file, String text) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    Files.createFile(temporary,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temporary, text, StandardCharsets.UTF_8);
    Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
