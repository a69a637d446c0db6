package dev.enroll.attestation.token;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/** Join tokens, used inside one store transaction. */
public interface JoinTokenRepository {

  /**
   * Stores a token.
   *
   * @param token the token
   */
  void insert(JoinToken token);

  /**
   * Finds a token by the hash of its secret.
   *
   * @param secretHash hex SHA-256 of the secret
   * @return the token, if any
   */
  Optional<JoinToken> findBySecretHash(String secretHash);

  /**
   * Spends one use, atomically: only while uses are left and the token has not expired.
   *
   * @param id the token
   * @param now the time of use
   * @return the uses left afterwards, or empty when none could be spent
   */
  OptionalInt spend(String id, Instant now);
}
