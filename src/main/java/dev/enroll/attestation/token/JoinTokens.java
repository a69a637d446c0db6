package dev.enroll.attestation.token;

import dev.enroll.store.Ids;
import dev.enroll.subject.Subject;
import dev.enroll.audit.AuditEvent;
import dev.enroll.authority.Secrets;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.profile.ProfileCatalog;
import dev.enroll.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Creates join tokens for admins. The secret is returned once and stored as a hash. */
public final class JoinTokens {
  /** The longest lifetime a token may have. */
  public static final Duration MAX_TTL = Duration.ofDays(365);

  /** The most uses one token may allow. */
  public static final int MAX_USES = 10_000_000;

  private final Store store;
  private final java.util.function.Supplier<ProfileCatalog> profiles;
  private final Clock clock;

  /**
   * Token creation.
   *
   * @param store where tokens are kept
   * @param profiles the profiles in force, which tokens may name
   * @param clock the clock
   */
  public JoinTokens(Store store, java.util.function.Supplier<ProfileCatalog> profiles,
      Clock clock) {
    this.store = store;
    this.profiles = profiles;
    this.clock = clock;
  }

  /**
   * What a new token is for.
   *
   * @param tenant the tenant
   * @param profile the profile it enrolls into
   * @param externalId the one subject it may enroll, or null for new subjects only
   * @param uses how many enrollments it allows
   * @param ttl how long it works
   */
  public record TokenRequest(
      String tenant, String profile, String externalId, int uses, Duration ttl) {}

  /**
   * Creates a token.
   *
   * @param request what the token is for
   * @param actor the admin creating it, as {@code admin:<key id>}
   * @param requestId the request, for the audit event
   * @return the token with its secret, to show once
   */
  public CreatedToken create(TokenRequest request, String actor, String requestId) {
    String tenant = request.tenant();
    String profile = request.profile();
    int uses = request.uses();
    Duration ttl = request.ttl();
    String externalId = request.externalId();
    if (profiles.get().find(tenant, profile).isEmpty()) {
      throw new EnrollException(ProblemType.PROFILE_UNKNOWN,
          "tenant '" + tenant + "' has no profile '" + profile + "'");
    }
    if (uses < 1 || uses > MAX_USES) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED,
          "uses must be between 1 and " + MAX_USES);
    }
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED,
          "ttl must be positive and at most " + MAX_TTL.toDays() + " days");
    }
    if (externalId != null && !Subject.EXTERNAL_ID.matcher(externalId).matches()) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED,
          "externalId must be 1 to 128 letters, digits or . _ : @ -");
    }
    String secret = Secrets.generate("ejt_");
    Instant now = clock.instant();
    JoinToken token = new JoinToken(Ids.next(), tenant, profile, externalId,
        Secrets.hash(secret), uses, uses, now.plus(ttl), actor, now);
    store.transact(tx -> {
      tx.tokens().insert(token);
      tx.audit().append(new AuditEvent(now, tenant, actor, "token.created",
          "token:" + token.id(), AuditEvent.SUCCESS, null, requestId,
          details(token)));
      return null;
    });
    return new CreatedToken(token.id(), secret, profile, externalId, uses, token.expiresAt());
  }

  private static Map<String, Object> details(JoinToken token) {
    Map<String, Object> details = new java.util.LinkedHashMap<>();
    details.put("profile", token.profile());
    details.put("uses", token.uses());
    details.put("expiresAt", token.expiresAt().toString());
    if (token.externalId() != null) {
      details.put("externalId", token.externalId());
    }
    return details;
  }

  /**
   * A new token with its secret.
   *
   * @param id the token's id
   * @param token the secret, shown once
   * @param profile the profile
   * @param externalId the one subject it enrolls, or null
   * @param uses the uses it allows
   * @param expiresAt when it stops working
   */
  public record CreatedToken(
      String id, String token, String profile, String externalId, int uses,
      Instant expiresAt) {}

  /**
   * Whether a tenant is configured.
   *
   * @param tenant the tenant
   * @return true when it is
   */
  public boolean hasTenant(String tenant) {
    return profiles.get().hasTenant(tenant);
  }
}
