package dev.enroll.attestation.symmetric;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts group keys at rest: AES-256-GCM under a key-encryption key derived (PBKDF2 with
 * HMAC-SHA256) from the data directory's key passphrase, so every node that can open the CA
 * can read the groups, and a copy of the database alone cannot. The group's id is bound in
 * as associated data, so an encrypted key cannot be moved to another group.
 */
public final class GroupKeyCipher {
  private static final byte[] SALT =
      "enroll/group-key-encryption/v1".getBytes(StandardCharsets.US_ASCII);
  private static final int ITERATIONS = 210_000;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey kek;

  /**
   * A cipher for a passphrase.
   *
   * @param passphrase the data directory's key passphrase
   */
  public GroupKeyCipher(char[] passphrase) {
    try {
      byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(passphrase, SALT, ITERATIONS, 256)).getEncoded();
      this.kek = new SecretKeySpec(key, "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot derive the group key-encryption key", e);
    }
  }

  /**
   * Encrypts a group key.
   *
   * @param groupId the group, bound in
   * @param groupKey the key
   * @return base64 of IV and ciphertext
   */
  public String encrypt(String groupId, byte[] groupKey) {
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(groupId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(groupKey);
      return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
          .put(iv).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt a group key", e);
    }
  }

  /**
   * Decrypts a group key.
   *
   * @param groupId the group it was encrypted for
   * @param encrypted base64 of IV and ciphertext
   * @return the key
   * @throws IllegalStateException when it does not decrypt (another passphrase, tampering)
   */
  public byte[] decrypt(String groupId, String encrypted) {
    byte[] all = Base64.getDecoder().decode(encrypted);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
      cipher.updateAAD(groupId.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("group key " + groupId + " does not decrypt", e);
    }
  }
}
