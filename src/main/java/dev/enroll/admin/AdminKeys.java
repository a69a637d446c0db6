package dev.enroll.admin;

import dev.enroll.store.Ids;
import dev.enroll.audit.AuditEvent;
import dev.enroll.authority.Secrets;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.Printable;
import dev.enroll.problem.ProblemType;
import dev.enroll.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Authenticates admins by API key, and creates the bootstrap key on first start. */
public final class AdminKeys {
  private final Store store;
  private final Clock clock;

  /**
   * Admin keys in a store.
   *
   * @param store the store
   * @param clock the clock
   */
  public AdminKeys(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Creates the bootstrap owner key when no admin key exists yet.
   *
   * @return the new key's secret, to be shown once, or empty when keys exist
   */
  public Optional<String> bootstrap() {
    return store.transact(tx -> {
      if (tx.adminKeys().any()) {
        return Optional.empty();
      }
      String secret = Secrets.generate("eak_");
      Instant now = clock.instant();
      AdminKey key = new AdminKey(Ids.next(), null, "owner", "bootstrap",
          Secrets.hash(secret), now);
      tx.adminKeys().insert(key);
      tx.audit().append(new AuditEvent(now, "-", "system", "admin-key.created",
          "admin-key:" + key.id(), AuditEvent.SUCCESS, null, null,
          Map.of("role", key.role(), "name", key.name())));
      return Optional.of(secret);
    });
  }

  /**
   * Authenticates a bearer key. A failure is audited and answered the same way whether the
   * key was missing or wrong.
   *
   * @param bearer the presented key, or null
   * @param requestId the request, for the audit event
   * @param source the client's address, for the audit event
   * @return the admin key
   * @throws EnrollException {@code unauthorized}
   */
  public AdminKey authenticate(String bearer, String requestId, String source) {
    Optional<AdminKey> key = bearer == null || bearer.isEmpty()
        ? Optional.empty()
        : store.transact(tx -> tx.adminKeys().findBySecretHash(Secrets.hash(bearer)));
    if (key.isPresent()) {
      return key.get();
    }
    store.transact(tx -> {
      tx.audit().append(new AuditEvent(clock.instant(), "-", "anonymous",
          "admin.authentication-failed", "admin-api", AuditEvent.REFUSED,
          ProblemType.UNAUTHORIZED.slug(), requestId,
          Map.of("source", source, "presented", bearer == null ? "none" : "key")));
      return null;
    });
    throw new EnrollException(ProblemType.UNAUTHORIZED,
        "a valid admin API key is required as a Bearer token");
  }

  /** The roles a key may have. */
  public static final java.util.List<String> ROLES =
      java.util.List.of("owner", "admin", "approver", "operator", "auditor");

  /**
   * A new key, shown once.
   *
   * @param id the key's id
   * @param name its label
   * @param role its role
   * @param tenant its tenant, or null for all
   * @param key the secret, never shown again
   */
  public record CreatedKey(String id, String name, String role, String tenant, String key) {}

  /**
   * Creates an admin key. Only an owner may; a key scoped to a tenant creates keys of that
   * tenant only, and never an owner.
   *
   * @param creator the key asking
   * @param name a label for people
   * @param role the new key's role
   * @param tenant the tenant to scope it to, or null for all (an unscoped creator only)
   * @param requestId the request, for the audit event
   * @return the new key with its secret
   * @throws EnrollException {@code forbidden} or {@code request-malformed}
   */
  public CreatedKey create(AdminKey creator, String name, String role, String tenant,
      String requestId) {
    if (!"owner".equals(creator.role())) {
      throw new EnrollException(ProblemType.FORBIDDEN, "only an owner key creates admin keys");
    }
    if (!ROLES.contains(role)) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED, "role must be one of " + ROLES);
    }
    if (name == null || name.isBlank() || name.length() > 128
        || name.codePoints().anyMatch(Printable::hides)) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED,
          "name must be 1 to 128 characters, none of them control characters");
    }
    String scope = tenant != null ? tenant : creator.tenant();
    if (creator.tenant() != null && !creator.tenant().equals(scope)) {
      throw new EnrollException(ProblemType.FORBIDDEN,
          "this admin key is not scoped to tenant '" + scope + "'");
    }
    if (creator.tenant() != null && "owner".equals(role)) {
      throw new EnrollException(ProblemType.FORBIDDEN,
          "a tenant's owner key cannot create another owner");
    }
    String secret = Secrets.generate("eak_");
    Instant now = clock.instant();
    AdminKey key = new AdminKey(Ids.next(), scope, role, name, Secrets.hash(secret), now);
    store.transact(tx -> {
      tx.adminKeys().insert(key);
      tx.audit().append(new AuditEvent(now, scope == null ? "-" : scope, creator.actor(),
          "admin-key.created", "admin-key:" + key.id(), AuditEvent.SUCCESS, null, requestId,
          Map.of("role", role, "name", name)));
      return null;
    });
    return new CreatedKey(key.id(), name, role, scope, secret);
  }
}
