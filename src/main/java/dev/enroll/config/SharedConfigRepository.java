package dev.enroll.config;

import java.time.Instant;
import java.util.Optional;

/** The configuration text the nodes of a store share. */
public interface SharedConfigRepository {

  /**
   * The shared configuration.
   *
   * @return it, if a node shared one
   */
  Optional<Shared> get();

  /**
   * Shares a configuration.
   *
   * @param shared the configuration
   */
  void put(Shared shared);

  /**
   * A shared configuration.
   *
   * @param yaml its text
   * @param sha256 the hex SHA-256 of the text
   * @param updatedAt when it was shared
   */
  record Shared(String yaml, String sha256, Instant updatedAt) {}
}
