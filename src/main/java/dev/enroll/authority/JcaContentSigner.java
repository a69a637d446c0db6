package dev.enroll.authority;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/**
 * A BouncyCastle content signer backed by a JCA signature engine from the fastest provider
 * that has the algorithm. One instance signs one structure.
 */
final class JcaContentSigner implements ContentSigner {
  private final Signature engine;
  private final AlgorithmIdentifier identifier;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);

  JcaContentSigner(CryptoProviders providers, String algorithm, PrivateKey key)
      throws GeneralSecurityException {
    this.engine = providers.signer(algorithm, key);
    this.identifier = new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm);
  }

  @Override
  public AlgorithmIdentifier getAlgorithmIdentifier() {
    return identifier;
  }

  @Override
  public OutputStream getOutputStream() {
    return buffer;
  }

  @Override
  public byte[] getSignature() {
    try {
      engine.update(buffer.toByteArray());
      return engine.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing failed", e);
    }
  }
}
