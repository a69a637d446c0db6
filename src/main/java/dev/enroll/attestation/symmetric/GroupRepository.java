package dev.enroll.attestation.symmetric;

import java.util.Optional;

/** Enrollment groups. */
public interface GroupRepository {
  /**
   * Stores a new group.
   *
   * @param group the group
   * @return false when the profile has a group of that name already
   */
  boolean insert(EnrollmentGroup group);

  /**
   * Finds a group of a profile by id or by name.
   *
   * @param tenant the tenant
   * @param profile the profile
   * @param idOrName the group's id or name
   * @return the group, when it exists and is not disabled
   */
  Optional<EnrollmentGroup> find(String tenant, String profile, String idOrName);
}
