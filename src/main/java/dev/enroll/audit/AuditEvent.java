package dev.enroll.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One decision or change, as recorded in the audit log. Never holds a secret, a token or a
 * private key.
 *
 * @param time when it happened
 * @param tenant the tenant, or {@code -} for events outside any tenant
 * @param actor who acted: {@code admin:<key id>}, {@code subject:<id>}, {@code anonymous} or
 *     {@code system}
 * @param action what was done, such as {@code enrollment.issued}
 * @param target what it was done to, such as {@code credential:<serial>}
 * @param outcome {@code success}, {@code refused} or {@code failed}
 * @param reason a reason code (a problem slug), or null
 * @param requestId the request that caused it, or null
 * @param details further fields, small and free of secrets
 */
public record AuditEvent(
    Instant time,
    String tenant,
    String actor,
    String action,
    String target,
    String outcome,
    String reason,
    String requestId,
    Map<String, Object> details) {

  /** Outcome of a decision that went through. */
  public static final String SUCCESS = "success";

  /** Outcome of a request refused for a reason the client can act on. */
  public static final String REFUSED = "refused";

  /** Outcome of a request that failed for an internal reason. */
  public static final String FAILED = "failed";

  /** Copies the details so the record stays immutable. */
  public AuditEvent {
    details = details == null ? Map.of() : Map.copyOf(details);
  }
}
