package dev.enroll.credential;

/** The kinds of credential Enroll issues. */
public enum CredentialType {
  /** An X.509 certificate from Enroll's CA. */
  X509;

  /** The lower-case name used in JSON and the store. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
