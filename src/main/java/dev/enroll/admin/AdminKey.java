package dev.enroll.admin;

import java.time.Instant;

/**
 * An admin API key, as stored: only the hash of its secret.
 *
 * @param id its id, safe to log and written as the audit actor
 * @param tenant the tenant it is scoped to, or null for all tenants
 * @param role {@code owner}, {@code admin}, {@code approver}, {@code operator} or
 *     {@code auditor}
 * @param name a label for people
 * @param secretHash hex SHA-256 of the secret
 * @param createdAt when it was created
 */
public record AdminKey(
    String id, String tenant, String role, String name, String secretHash, Instant createdAt) {

  /** The audit actor for this key. */
  public String actor() {
    return "admin:" + id;
  }

  /**
   * Whether the key may act in a tenant.
   *
   * @param other the tenant
   * @return true when the key is scoped to it or to all tenants
   */
  public boolean covers(String other) {
    return tenant == null || tenant.equals(other);
  }
}
