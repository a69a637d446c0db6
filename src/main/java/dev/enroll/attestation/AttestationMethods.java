package dev.enroll.attestation;

import dev.enroll.attestation.jwt.JwtSettings;
import dev.enroll.attestation.symmetric.GroupKeySettings;
import dev.enroll.attestation.token.TokenAttestor;
import dev.enroll.attestation.x509.DeviceTrust;
import dev.enroll.config.ConfigException;
import dev.enroll.config.ProfileConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The attestation methods a configuration may name, each with what it reads from a profile.
 * A method's settings compile when the configuration loads, so a wrong value stops the
 * start (or a reload) naming its key, before any request sees it.
 */
public final class AttestationMethods {
  private final Map<String, SettingsCompiler> compilers;

  private AttestationMethods(Map<String, SettingsCompiler> compilers) {
    this.compilers = Collections.unmodifiableMap(new LinkedHashMap<>(compilers));
  }

  /** Compiles a method's section of one profile. */
  @FunctionalInterface
  public interface SettingsCompiler {
    /**
     * Compiles the section.
     *
     * @param at the profile's key, such as {@code tenants.default.profiles.workloads}
     * @param profile the profile as written
     * @return the method's settings for its attestor, or null when it has none
     * @throws ConfigException naming the wrong key
     */
    Object compile(String at, ProfileConfig profile);
  }

  /** The methods Enroll ships. */
  public static AttestationMethods standard() {
    Map<String, SettingsCompiler> compilers = new LinkedHashMap<>();
    compilers.put(TokenAttestor.METHOD, (at, profile) -> null);
    compilers.put(JwtSettings.METHOD, JwtSettings::compile);
    compilers.put(DeviceTrust.METHOD, DeviceTrust::compile);
    compilers.put(GroupKeySettings.METHOD, GroupKeySettings::compile);
    return new AttestationMethods(compilers);
  }

  /**
   * Methods of one's own, for tests.
   *
   * @param compilers compilers by method name
   * @return the methods
   */
  public static AttestationMethods of(Map<String, SettingsCompiler> compilers) {
    return new AttestationMethods(compilers);
  }

  /** The method names. */
  public Set<String> names() {
    return compilers.keySet();
  }

  /**
   * Compiles the settings of every method a profile accepts.
   *
   * @param at the profile's key
   * @param profile the profile as written
   * @return settings by method name (methods without settings are left out)
   * @throws ConfigException naming the key of a wrong value
   */
  public Map<String, Object> compile(String at, ProfileConfig profile) {
    Map<String, Object> settings = new LinkedHashMap<>();
    for (String method : profile.attestation()) {
      SettingsCompiler compiler = compilers.get(method);
      if (compiler == null) {
        throw new ConfigException(at + ".attestation", "'" + method + "' is not an"
            + " attestation method (known: " + String.join(", ", compilers.keySet()) + ")");
      }
      Object compiled = compiler.compile(at, profile);
      if (compiled != null) {
        settings.put(method, compiled);
      }
    }
    unused(at, profile, "jwt", profile.jwt() != null, JwtSettings.METHOD);
    unused(at, profile, "x509", profile.x509() != null, DeviceTrust.METHOD);
    unused(at, profile, "symmetricKey", profile.symmetricKey() != null,
        GroupKeySettings.METHOD);
    return settings;
  }

  private static void unused(String at, ProfileConfig profile, String key, boolean present,
      String method) {
    if (present && !profile.attestation().contains(method)) {
      throw new ConfigException(at + "." + key, "is set, but attestation does not list '"
          + method + "'");
    }
  }
}
