package dev.enroll.admin;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What an admin key's role lets it do. One table, checked by every admin route.
 *
 * <table>
 *   <caption>Roles and permissions</caption>
 *   <tr><th>role</th><th>may</th></tr>
 *   <tr><td>owner</td><td>everything, and create admin keys</td></tr>
 *   <tr><td>admin</td><td>issue evidence, run the lifecycle, approve, read, read the audit
 *   log</td></tr>
 *   <tr><td>approver</td><td>approve, read</td></tr>
 *   <tr><td>operator</td><td>run the lifecycle (revoke, quarantine, clear anomalies),
 *   read</td></tr>
 *   <tr><td>auditor</td><td>read, read the audit log</td></tr>
 * </table>
 */
public enum Permission {
  /** Create join tokens and enrollment groups: evidence that enrolls. */
  ISSUE_EVIDENCE,
  /** Revoke, quarantine, reinstate, offboard; clear anomalies. */
  LIFECYCLE,
  /** Decide approval requests. */
  APPROVE,
  /** Read subjects, enrollments, approvals, anomalies, service levels. */
  READ,
  /** Read the audit log and its checkpoints. */
  AUDIT,
  /** Create admin keys. */
  MANAGE_KEYS;

  private static final Map<String, Set<Permission>> BY_ROLE = Map.of(
      "owner", EnumSet.allOf(Permission.class),
      "admin", EnumSet.of(ISSUE_EVIDENCE, LIFECYCLE, APPROVE, READ, AUDIT),
      "approver", EnumSet.of(APPROVE, READ),
      "operator", EnumSet.of(LIFECYCLE, READ),
      "auditor", EnumSet.of(READ, AUDIT));

  /**
   * Whether a role has this permission.
   *
   * @param role the key's role
   * @return true when it has
   */
  public boolean grantedTo(String role) {
    return BY_ROLE.getOrDefault(role, Set.of()).contains(this);
  }

  /** The roles that have this permission, for messages. */
  public Set<String> roles() {
    Set<String> roles = new java.util.TreeSet<>();
    BY_ROLE.forEach((role, permissions) -> {
      if (permissions.contains(this)) {
        roles.add(role);
      }
    });
    return roles;
  }
}
