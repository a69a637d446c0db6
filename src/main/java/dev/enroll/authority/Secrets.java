package dev.enroll.authority;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer secrets (join tokens, API keys): 256 random bits behind a readable prefix, stored
 * only as a SHA-256 hash. A fast hash is enough because the secrets are random, not chosen
 * by people.
 */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /**
   * A new secret.
   *
   * @param prefix such as {@code ejt_}, so a leaked secret is recognisable
   * @return the secret text, to be shown once
   */
  public static String generate(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The stored form of a secret.
   *
   * @param secret the secret text
   * @return hex SHA-256
   */
  public static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
