package dev.enroll.authority;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The passphrase that encrypts private keys at rest: from {@code ENROLL_KEY_PASSPHRASE}, or
 * generated once and kept in a file only the owner can read (with a warning, since the key
 * and its passphrase then sit on the same disk).
 */
public final class Passphrase {
  /** The environment variable that supplies the passphrase. */
  public static final String ENVIRONMENT = "ENROLL_KEY_PASSPHRASE";

  private static final Logger LOG = LoggerFactory.getLogger(Passphrase.class);

  private Passphrase() {}

  /**
   * Resolves the passphrase.
   *
   * @param fromEnvironment the environment's value, or null
   * @param file where a generated passphrase is kept
   * @return the passphrase
   */
  public static char[] resolve(String fromEnvironment, Path file) {
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
      return fromEnvironment.toCharArray();
    }
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim().toCharArray();
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      KeyFiles.writeOwnerOnly(file, generated + "\n");
      LOG.atWarn().addKeyValue("file", file)
          .addKeyValue("variable", ENVIRONMENT)
          .log("key passphrase generated and stored beside the keys; set the variable in"
              + " production");
      return generated.toCharArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
