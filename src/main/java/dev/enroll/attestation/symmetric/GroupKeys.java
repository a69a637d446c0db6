package dev.enroll.attestation.symmetric;

import dev.enroll.audit.AuditEvent;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.profile.ProfileCatalog;
import dev.enroll.store.Ids;
import dev.enroll.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Creates enrollment groups and opens their keys. */
public final class GroupKeys {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Store store;
  private final Supplier<ProfileCatalog> profiles;
  private final GroupKeyCipher cipher;
  private final Clock clock;

  /**
   * Group keys in a store.
   *
   * @param store the store
   * @param profiles the current profiles
   * @param cipher encrypts keys at rest
   * @param clock the clock
   */
  public GroupKeys(Store store, Supplier<ProfileCatalog> profiles, GroupKeyCipher cipher,
      Clock clock) {
    this.store = store;
    this.profiles = profiles;
    this.cipher = cipher;
    this.clock = clock;
  }

  /**
   * A new group, its key shown once.
   *
   * @param id the group's id
   * @param tenant its tenant
   * @param profile its profile
   * @param name its name
   * @param groupKey the group key, base64; program each device with
   *     HMAC-SHA256(group key, registration id)
   */
  public record CreatedGroup(String id, String tenant, String profile, String name,
      String groupKey) {}

  /**
   * Creates a group for a profile that accepts {@code symmetric-key}.
   *
   * @param tenant the tenant
   * @param profile the profile
   * @param name a name unique in the profile
   * @param actor the admin, for the audit event
   * @param requestId the request
   * @return the group with its key
   * @throws EnrollException {@code request-malformed}, {@code profile-unknown},
   *     {@code attestation-unsupported}, {@code group-exists}
   */
  public CreatedGroup create(String tenant, String profile, String name, String actor,
      String requestId) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED, "name must be 1 to 128"
          + " letters, digits or . _ -, starting with a letter or digit");
    }
    var found = profiles.get().find(tenant, profile).orElseThrow(() -> new EnrollException(
        ProblemType.PROFILE_UNKNOWN, "tenant '" + tenant + "' has no profile '" + profile
        + "'"));
    if (!found.attestation().contains(GroupKeySettings.METHOD)) {
      throw new EnrollException(ProblemType.ATTESTATION_UNSUPPORTED, "profile '" + profile
          + "' does not accept attestation by " + GroupKeySettings.METHOD);
    }
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    String id = Ids.next();
    Instant now = clock.instant();
    EnrollmentGroup group = new EnrollmentGroup(id, tenant, profile, name,
        cipher.encrypt(id, key), actor, now);
    boolean stored = store.transact(tx -> {
      if (!tx.groups().insert(group)) {
        return false;
      }
      tx.audit().append(new AuditEvent(now, tenant, actor, "group.created", "group:" + id,
          AuditEvent.SUCCESS, null, requestId, Map.of("profile", profile, "name", name)));
      return true;
    });
    if (!stored) {
      throw new EnrollException(ProblemType.GROUP_EXISTS, "profile '" + profile
          + "' has a group named '" + name + "' already");
    }
    return new CreatedGroup(id, tenant, profile, name,
        Base64.getEncoder().encodeToString(key));
  }

  /**
   * A group and its key.
   *
   * @param group the group
   * @param key the decrypted group key
   */
  record Opened(EnrollmentGroup group, byte[] key) {}

  /**
   * Finds a group and decrypts its key.
   *
   * @param tenant the tenant
   * @param profile the profile
   * @param idOrName the group's id or name
   * @return the group and key
   * @throws EnrollException {@code group-unknown}
   */
  Opened open(String tenant, String profile, String idOrName) {
    EnrollmentGroup group = store.transact(tx -> tx.groups().find(tenant, profile, idOrName))
        .orElseThrow(() -> new EnrollException(ProblemType.GROUP_UNKNOWN,
            "the profile has no enrollment group '" + idOrName + "'"));
    return new Opened(group, cipher.decrypt(group.id(), group.encryptedKey()));
  }
}
