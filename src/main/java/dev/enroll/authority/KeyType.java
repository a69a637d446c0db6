package dev.enroll.authority;

import java.util.Locale;

/** The public-key types Enroll can certify, by the names operators write in profiles. */
public enum KeyType {
  P_256("P-256", "secp256r1", "SHA256withECDSA"),
  P_384("P-384", "secp384r1", "SHA384withECDSA"),
  P_521("P-521", "secp521r1", "SHA512withECDSA"),
  RSA("RSA", null, "SHA256withRSA"),
  ED25519("Ed25519", null, "Ed25519");

  /** The smallest RSA modulus Enroll certifies, in bits. */
  public static final int RSA_MIN_BITS = 2048;

  /** The largest RSA modulus Enroll certifies, in bits. */
  public static final int RSA_MAX_BITS = 4096;

  private final String configName;
  private final String curve;
  private final String signatureAlgorithm;

  KeyType(String configName, String curve, String signatureAlgorithm) {
    this.configName = configName;
    this.curve = curve;
    this.signatureAlgorithm = signatureAlgorithm;
  }

  /** The name used in configuration and messages, such as {@code P-256}. */
  public String configName() {
    return configName;
  }

  /** The JCA curve name for EC types, or null. */
  public String curve() {
    return curve;
  }

  /** The JCA signature algorithm a CA key of this type signs with. */
  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /** The JCA key algorithm: {@code EC}, {@code RSA} or {@code Ed25519}. */
  public String jcaAlgorithm() {
    return curve != null ? "EC" : this == RSA ? "RSA" : "Ed25519";
  }

  /** How the type reads in a list of accepted keys. */
  public String describe() {
    return this == RSA ? "RSA " + RSA_MIN_BITS + "-" + RSA_MAX_BITS : configName;
  }

  /**
   * Parses a configuration name, ignoring case.
   *
   * @param text such as {@code P-256} or {@code ed25519}
   * @return the key type, or null when the text names none
   */
  public static KeyType parse(String text) {
    for (KeyType type : values()) {
      if (type.configName.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))) {
        return type;
      }
    }
    return null;
  }
}
