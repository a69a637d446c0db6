package dev.enroll.admin;

import java.util.Optional;

/** Admin API keys, used inside one store transaction. */
public interface AdminKeyRepository {

  /**
   * Stores a key.
   *
   * @param key the key
   */
  void insert(AdminKey key);

  /**
   * Finds a key by the hash of its secret.
   *
   * @param secretHash hex SHA-256 of the secret
   * @return the key, if any
   */
  Optional<AdminKey> findBySecretHash(String secretHash);

  /** Whether any key exists. */
  boolean any();
}
