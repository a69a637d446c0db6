package dev.enroll.authority;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA's files under the data directory: created on first start (a root and an issuing CA,
 * keys encrypted at rest), read on every later start.
 *
 * <pre>
 * ca/root.pem          root certificate
 * ca/root.key.pem      root key, encrypted
 * ca/issuing.pem       issuing CA certificate
 * ca/issuing.key.pem   issuing key, encrypted
 * </pre>
 */
public final class AuthorityFiles {
  private static final Logger LOG = LoggerFactory.getLogger(AuthorityFiles.class);

  private final Path directory;
  private final KeyFiles keyFiles;
  private final CryptoProviders providers;
  private final Clock clock;

  /**
   * The CA files in a directory.
   *
   * @param directory usually {@code DATA/ca}
   * @param keyFiles how keys are encrypted
   * @param providers the JCA providers
   * @param clock the clock
   */
  public AuthorityFiles(
      Path directory, KeyFiles keyFiles, CryptoProviders providers, Clock clock) {
    this.directory = directory;
    this.keyFiles = keyFiles;
    this.providers = providers;
    this.clock = clock;
  }

  /**
   * Whether the CA exists already.
   *
   * @return true when the issuing CA's certificate is on disk
   */
  public boolean exists() {
    return Files.exists(directory.resolve("issuing.pem"));
  }

  /**
   * Reads the CA, creating it first when it does not exist.
   *
   * @param settings names, key type and lifetimes for a new CA
   * @return the certificates and the issuing key
   */
  public AuthorityKeys openOrCreate(AuthoritySettings settings) {
    if (!exists()) {
      create(settings);
    }
    X509CertificateHolder root = KeyFiles.readCertificate(directory.resolve("root.pem"));
    X509CertificateHolder issuing = KeyFiles.readCertificate(directory.resolve("issuing.pem"));
    KeyType keyType = typeOf(issuing.getSubjectPublicKeyInfo());
    return new AuthorityKeys(root, issuing,
        keyFiles.read(directory.resolve("issuing.key.pem"), keyType.jcaAlgorithm()), keyType);
  }

  private void create(AuthoritySettings settings) {
    try {
      Files.createDirectories(directory);
      KeyPair rootPair = generate(settings.keyType());
      KeyPair issuingPair = generate(settings.keyType());
      Instant now = clock.instant();

      X500Name rootName = name(settings.name() + " Root CA");
      SubjectPublicKeyInfo rootSpki =
          SubjectPublicKeyInfo.getInstance(rootPair.getPublic().getEncoded());
      X509CertificateHolder root = caCertificate(rootName, rootName, rootSpki, rootSpki, now,
          now.plus(settings.rootValidity()), -1, rootPair, settings.keyType());

      Instant issuingEnd = now.plus(settings.issuingValidity());
      Instant rootEnd = root.getNotAfter().toInstant();
      SubjectPublicKeyInfo issuingSpki =
          SubjectPublicKeyInfo.getInstance(issuingPair.getPublic().getEncoded());
      X509CertificateHolder issuing = caCertificate(rootName,
          name(settings.name() + " Issuing CA"), issuingSpki, rootSpki, now,
          issuingEnd.isAfter(rootEnd) ? rootEnd : issuingEnd, 0, rootPair, settings.keyType());

      keyFiles.write(directory.resolve("root.key.pem"), rootPair.getPrivate());
      keyFiles.write(directory.resolve("issuing.key.pem"), issuingPair.getPrivate());
      writeCertificate("root.pem", root);
      writeCertificate("issuing.pem", issuing);
      LOG.atInfo().addKeyValue("directory", directory)
          .addKeyValue("keyType", settings.keyType().configName())
          .log("certificate authority created");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private X509CertificateHolder caCertificate(
      X500Name issuer, X500Name subject, SubjectPublicKeyInfo spki,
      SubjectPublicKeyInfo issuerSpki, Instant notBefore, Instant notAfter, int pathLength,
      KeyPair signer, KeyType keyType) {
    BigInteger serial = Serial.next();
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, serial,
        Date.from(notBefore), Date.from(notAfter), subject, spki);
    try {
      builder.addExtension(Extension.basicConstraints, true, pathLength < 0
          ? new BasicConstraints(true) : new BasicConstraints(pathLength));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(
          KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          new SubjectKeyIdentifier(CertificateAuthority.keyIdentifier(spki)));
      if (spki != issuerSpki) {
        builder.addExtension(Extension.authorityKeyIdentifier, false,
            new AuthorityKeyIdentifier(CertificateAuthority.keyIdentifier(issuerSpki)));
      }
      return builder.build(
          new JcaContentSigner(providers, keyType.signatureAlgorithm(), signer.getPrivate()));
    } catch (CertIOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign CA certificate", e);
    }
  }

  /**
   * Generates a key pair of a type.
   *
   * @param keyType the type
   * @return a new key pair
   */
  public KeyPair generate(KeyType keyType) {
    try {
      KeyPairGenerator generator =
          KeyPairGenerator.getInstance(keyType.jcaAlgorithm(), providers.bouncyCastle());
      if (keyType.curve() != null) {
        generator.initialize(new ECGenParameterSpec(keyType.curve()));
      } else if (keyType == KeyType.RSA) {
        generator.initialize(3072);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate " + keyType.configName() + " key", e);
    }
  }

  private void writeCertificate(String file, X509CertificateHolder holder) throws IOException {
    Files.writeString(directory.resolve(file),
        Pem.certificate(CertificateAuthority.encoded(holder)), StandardCharsets.US_ASCII);
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  private static KeyType typeOf(SubjectPublicKeyInfo spki) {
    return KeyClassifier.classify(spki.getAlgorithm(), java.util.List.of(KeyType.values()));
  }

  /**
   * Settings for a new CA.
   *
   * @param name the name in the CA certificates' subjects
   * @param keyType the key type of both CA keys
   * @param rootValidity the root certificate's lifetime
   * @param issuingValidity the issuing certificate's lifetime
   */
  public record AuthoritySettings(
      String name, KeyType keyType, Duration rootValidity, Duration issuingValidity) {}
}
