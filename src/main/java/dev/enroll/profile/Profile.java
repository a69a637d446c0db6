package dev.enroll.profile;

import dev.enroll.authority.KeyType;
import dev.enroll.subject.SubjectKind;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * An enrollment template: which subjects it enrolls, the evidence it accepts, the keys it
 * certifies, and the certificate it issues.
 *
 * @param tenant the tenant it belongs to
 * @param name its name within the tenant
 * @param subjectKinds the subject kinds it enrolls
 * @param attestation the attestation methods it accepts
 * @param keyTypes the key types it certifies
 * @param validity the certificate lifetime
 * @param keyUsage RFC 5280 key usage bits, before fitting them to the key type
 * @param extendedKeyUsage extended key usages
 * @param names the name policy
 * @param renewal when and how its certificates renew
 * @param silentAfter how long a subject may go without a heartbeat
 * @param methodSettings each accepted attestation method's compiled settings, by method
 * @param policy what the subject gets, decided from the verified claims
 * @param approvalExpiry how long an enrollment waits for approval
 * @param anomaly surge detection, or null when the profile watches for none
 */
public record Profile(
    String tenant,
    String name,
    Set<SubjectKind> subjectKinds,
    List<String> attestation,
    Set<KeyType> keyTypes,
    Duration validity,
    int keyUsage,
    List<KeyPurposeId> extendedKeyUsage,
    NamePolicy names,
    Renewal renewal,
    Duration silentAfter,
    java.util.Map<String, Object> methodSettings,
    dev.enroll.policy.ProfilePolicy policy,
    Duration approvalExpiry,
    dev.enroll.anomaly.AnomalySettings anomaly) {

  /**
   * When and how a certificate of the profile renews.
   *
   * @param window renewal opens this long before {@code notAfter}
   * @param gracePeriod an expired certificate may renew this long after {@code notAfter}
   * @param revokeOnRenew the replaced certificate is revoked (superseded), not left to expire
   * @param allowNameChange a renewal may ask for names other than the current certificate's
   */
  public record Renewal(
      Duration window, Duration gracePeriod, boolean revokeOnRenew, boolean allowNameChange) {}

  /** Copies the collections so the record stays immutable. */
  public Profile {
    subjectKinds = Set.copyOf(subjectKinds);
    attestation = List.copyOf(attestation);
    keyTypes = Set.copyOf(keyTypes);
    extendedKeyUsage = List.copyOf(extendedKeyUsage);
    methodSettings = java.util.Map.copyOf(methodSettings);
  }

  /**
   * An attestation method's settings in this profile.
   *
   * @param method the method
   * @param type the settings' class
   * @param <T> the settings' type
   * @return the settings
   * @throws IllegalStateException when the profile has none for the method
   */
  public <T> T settings(String method, Class<T> type) {
    Object settings = methodSettings.get(method);
    if (settings == null) {
      throw new IllegalStateException("profile " + name + " has no settings for " + method);
    }
    return type.cast(settings);
  }

  /**
   * The key usage bits that fit a key type: key encipherment only for RSA keys, key
   * agreement only for EC keys.
   *
   * @param keyType the certified key's type
   * @return the bits to set
   */
  public int keyUsageFor(KeyType keyType) {
    int bits = keyUsage;
    if (keyType != KeyType.RSA) {
      bits &= ~org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment;
    }
    if (keyType == KeyType.RSA || keyType == KeyType.ED25519) {
      bits &= ~org.bouncycastle.asn1.x509.KeyUsage.keyAgreement;
    }
    return bits;
  }
}
