package dev.enroll.enrollment;

import java.time.Instant;
import java.util.Optional;

/** Idempotency records; a (tenant, key) pair is unique in the store. */
public interface IdempotencyRepository {

  /**
   * Claims a key for a request unless it is claimed already.
   *
   * @param tenant the tenant
   * @param key the client's key
   * @param requestHash the request's hash
   * @param now the time of the claim
   * @return true when this call claimed it
   */
  boolean claim(String tenant, String key, String requestHash, Instant now);

  /**
   * Reads a record.
   *
   * @param tenant the tenant
   * @param key the client's key
   * @return the record, if any
   */
  Optional<IdempotencyRecord> find(String tenant, String key);

  /**
   * Stores the answer of a claimed key.
   *
   * @param tenant the tenant
   * @param key the client's key
   * @param status the HTTP status
   * @param response the answer
   */
  void complete(String tenant, String key, int status, String response);

  /**
   * Takes over a claim whose request died before answering.
   *
   * @param tenant the tenant
   * @param key the client's key
   * @param claimedAt the stale claim's time, as read
   * @param now the new claim's time
   * @return true when this call took it over
   */
  boolean takeOver(String tenant, String key, Instant claimedAt, Instant now);

  /**
   * Gives up an uncompleted claim, so that a retry can run.
   *
   * @param tenant the tenant
   * @param key the client's key
   */
  void release(String tenant, String key);

  /**
   * Replaces the stored answer of a key answered {@code 202} (accepted, waiting), once the
   * enrollment it names is done, so that the next retry gets the final answer.
   *
   * @param tenant the tenant
   * @param key the idempotency key
   * @param status the final HTTP status
   * @param response the final answer
   */
  void resolve(String tenant, String key, int status, String response);
}
