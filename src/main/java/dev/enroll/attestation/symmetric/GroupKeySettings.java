package dev.enroll.attestation.symmetric;

import dev.enroll.config.DurationText;
import dev.enroll.config.ProfileConfig;
import java.time.Duration;

/**
 * A profile's group-key attestation, compiled.
 *
 * @param maxClockSkew how far a timestamped proof may lie from the server's time
 */
public record GroupKeySettings(Duration maxClockSkew) {
  /** The method name. */
  public static final String METHOD = "symmetric-key";

  /**
   * Compiles a profile's {@code symmetricKey} section.
   *
   * @param at the profile's key
   * @param profile the profile as written
   * @return the settings
   * @throws dev.enroll.config.ConfigException naming the key of a wrong value
   */
  public static GroupKeySettings compile(String at, ProfileConfig profile) {
    ProfileConfig.SymmetricKeyConfig c = profile.symmetricKey() != null
        ? profile.symmetricKey() : new ProfileConfig.SymmetricKeyConfig(null);
    return new GroupKeySettings(DurationText.parse(at + ".symmetricKey.maxClockSkew",
        c.maxClockSkew()));
  }
}
