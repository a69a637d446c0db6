package dev.enroll.attestation;

import dev.enroll.authority.Secrets;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.Printable;
import dev.enroll.problem.ProblemType;
import dev.enroll.store.Store;
import dev.enroll.store.Transaction;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Server nonces a device signs or MACs to prove it holds its key now. A nonce is random
 * (256 bits), kept only as a hash, good for one enrollment in its tenant, and expires after
 * five minutes.
 */
public final class Nonces {
  /** How long a nonce is accepted. */
  public static final Duration LIFETIME = Duration.ofMinutes(5);

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The most nonces one source address gets per minute. */
  public static final int PER_SOURCE_PER_MINUTE = 120;

  private static final int MAX_SOURCES = 100_000;

  private final Store store;
  private final Clock clock;
  private final Predicate<String> tenants;
  private final Map<String, long[]> given = new ConcurrentHashMap<>();

  /**
   * Nonces in a store.
   *
   * @param store the store
   * @param clock the clock
   * @param tenants which tenants exist
   */
  public Nonces(Store store, Clock clock, Predicate<String> tenants) {
    this.store = store;
    this.clock = clock;
    this.tenants = tenants;
  }

  /**
   * A nonce given out.
   *
   * @param nonce the value, base64url without padding
   * @param expiresAt when it stops being accepted
   */
  public record Issued(String nonce, Instant expiresAt) {}

  /**
   * Gives out a new nonce. Anyone may ask, so each source address gets at most
   * {@link #PER_SOURCE_PER_MINUTE} a minute, and only for a tenant that exists.
   *
   * @param tenant the tenant it is for
   * @param source the client's address
   * @return the nonce
   * @throws EnrollException {@code not-found} for an unknown tenant, {@code rate-limited}
   */
  public Issued issue(String tenant, String source) {
    if (!tenants.test(tenant)) {
      throw new EnrollException(ProblemType.NOT_FOUND, "there is no tenant '"
          + Printable.shown(tenant, 64) + "'");
    }
    limit(source);
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

  private void limit(String source) {
    long minute = clock.millis() / 60_000;
    if (given.size() > MAX_SOURCES) {
      given.values().removeIf(window -> window[0] < minute);
    }
    long[] window = given.computeIfAbsent(source == null ? "-" : source,
        s -> new long[] {minute, 0});
    synchronized (window) {
      if (window[0] != minute) {
        window[0] = minute;
        window[1] = 0;
      }
      if (++window[1] > PER_SOURCE_PER_MINUTE) {
        throw new EnrollException(ProblemType.RATE_LIMITED, "this address asked for more than "
            + PER_SOURCE_PER_MINUTE + " nonces this minute").with("retryAfterSeconds",
            60 - (clock.millis() / 1000) % 60);
      }
    }
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
