package dev.enroll.attestation;

import dev.enroll.authority.Secrets;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.store.Store;
import dev.enroll.store.Transaction;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Server nonces a device signs or MACs to prove it holds its key now. A nonce is random
 * (256 bits), kept only as a hash, good for one enrollment in its tenant, and expires after
 * five minutes.
 */
public final class Nonces {
  /** How long a nonce is accepted. */
  public static final Duration LIFETIME = Duration.ofMinutes(5);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Store store;
  private final Clock clock;

  /**
   * Nonces in a store.
   *
   * @param store the store
   * @param clock the clock
   */
  public Nonces(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * A nonce given out.
   *
   * @param nonce the value, base64url without padding
   * @param expiresAt when it stops being accepted
   */
  public record Issued(String nonce, Instant expiresAt) {}

  /**
   * Gives out a new nonce.
   *
   * @param tenant the tenant it is for
   * @return the nonce
   */
  public Issued issue(String tenant) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant expiresAt = clock.instant().plus(LIFETIME);
    store.transact(tx -> {
      tx.evidence().addNonce(tenant, Secrets.hash(nonce), expiresAt);
      return null;
    });
    return new Issued(nonce, expiresAt);
  }

  /**
   * Uses a nonce up in the enrollment's transaction.
   *
   * @param tx the issuing transaction
   * @param tenant the enrollment's tenant
   * @param nonce the nonce the device proved
   * @throws EnrollException {@code nonce-invalid} when it is unknown, used or expired
   */
  public void consume(Transaction tx, String tenant, String nonce) {
    if (!tx.evidence().useNonce(tenant, Secrets.hash(nonce), clock.instant())) {
      throw invalid();
    }
  }

  /** The problem for an unknown, used or expired nonce. */
  public static EnrollException invalid() {
    return new EnrollException(ProblemType.NONCE_INVALID, "the nonce is unknown, used or"
        + " expired; get a new one from POST /v1/nonces");
  }
}
