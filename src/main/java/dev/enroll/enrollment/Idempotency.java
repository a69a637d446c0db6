package dev.enroll.enrollment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Idempotency keys: the first request with a key claims it, and its answer is stored in the
 * same transaction that issues the credential (or that records the refusal). A retry gets
 * the stored answer; a concurrent duplicate waits for it; the same key with another body is
 * refused. Uniqueness comes from the store's primary key, not from checks in Java.
 */
public final class Idempotency {
  private static final com.fasterxml.jackson.databind.ObjectMapper STORED =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration STALE = Duration.ofSeconds(60);

  private final Store store;
  private final Clock clock;
  private final EnrollmentMetrics metrics;
  private final ObjectMapper json = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .build();

  Idempotency(Store store, Clock clock, EnrollmentMetrics metrics) {
    this.store = store;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Claims the request's key, or returns the stored answer of an earlier request with it.
   *
   * @return a claim to complete, or a replay
   * @throws EnrollException {@code idempotency-key-reused} when the key came with another
   *     request, {@code idempotency-in-progress} when the first request is still running
   */
  Claim claim(EnrollmentRequest request) {
    String tenant = request.tenant();
    String key = request.idempotencyKey();
    if (!KEY.matcher(key).matches()) {
      throw new EnrollException(ProblemType.REQUEST_MALFORMED,
          "Idempotency-Key must be 1 to 255 printable ASCII characters");
    }
    String hash = requestHash(request);
    Instant deadline = clock.instant().plus(WAIT);
    while (true) {
      Instant now = clock.instant();
      if (store.transact(tx -> tx.idempotency().claim(tenant, key, hash, now))) {
        return new Claim(tenant, key, null);
      }
      Optional<IdempotencyRecord> found =
          store.transact(tx -> tx.idempotency().find(tenant, key));
      if (found.isEmpty()) {
        continue;
      }
      IdempotencyRecord record = found.get();
      if (!record.requestHash().equals(hash)) {
        metrics.duplicate("conflict");
        throw new EnrollException(ProblemType.IDEMPOTENCY_KEY_REUSED,
            "this Idempotency-Key was used with a different request; use a new key");
      }
      if (record.completed()) {
        metrics.duplicate("replayed");
        return new Claim(tenant, key, record);
      }
      if (record.claimedAt().plus(STALE).isBefore(now)
          && store.transact(tx -> tx.idempotency().takeOver(tenant, key, record.claimedAt(),
              now))) {
        return new Claim(tenant, key, null);
      }
      if (now.isAfter(deadline)) {
        metrics.duplicate("in_progress");
        throw new EnrollException(ProblemType.IDEMPOTENCY_IN_PROGRESS,
            "a request with this Idempotency-Key is still in progress; retry shortly")
            .with("retryAfterSeconds", 1);
      }
      pause();
    }
  }

  /** The stored form of a successful answer. */
  String encode(EnrollmentResult result) {
    return write(Map.of("result", result));
  }

  /** The stored form of a refusal. */
  String encode(EnrollException problem) {
    return encodeProblem(problem);
  }

  /**
   * The stored form of a refusal, for a decision made after the request was answered (an
   * approval denied or expired), so that a retry with the key gets it.
   *
   * @param problem the refusal
   * @return the stored answer
   */
  public static String encodeProblem(EnrollException problem) {
    Map<String, Object> stored = new LinkedHashMap<>();
    stored.put("type", problem.type().name());
    stored.put("detail", problem.detail());
    stored.put("extensions", problem.extensions());
    try {
      return STORED.writeValueAsString(Map.of("problem", stored));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode idempotent answer", e);
    }
  }

  /**
   * The stored answer again: the result, or the refusal thrown.
   *
   * @param record a completed record
   * @return the first request's result
   */
  EnrollmentResult replay(IdempotencyRecord record) {
    try {
      Map<String, Object> stored = json.readValue(record.response(),
          new TypeReference<Map<String, Object>>() {});
      if (stored.containsKey("result")) {
        return json.convertValue(stored.get("result"), EnrollmentResult.class);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> problem = (Map<String, Object>) stored.get("problem");
      EnrollException replayed = new EnrollException(
          ProblemType.valueOf((String) problem.get("type")), (String) problem.get("detail"));
      @SuppressWarnings("unchecked")
      Map<String, Object> extensions = (Map<String, Object>) problem.get("extensions");
      extensions.forEach(replayed::with);
      throw new ReplayedProblem(replayed);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored idempotent answer does not parse", e);
    }
  }

  private String requestHash(EnrollmentRequest request) {
    Map<String, Object> canonical = new TreeMap<>();
    canonical.put("tenant", request.tenant());
    canonical.put("profile", request.profile());
    canonical.put("subject", request.subject());
    canonical.put("attestation", request.attestation());
    canonical.put("csr", request.csr());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(write(canonical).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode idempotent answer", e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnrollException(ProblemType.UNAVAILABLE, "the server is shutting down", e);
    }
  }

  /**
   * A claimed key, or an earlier answer to replay.
   *
   * @param tenant the tenant
   * @param key the key
   * @param replay the completed record to replay, or null when this request claimed the key
   */
  record Claim(String tenant, String key, IdempotencyRecord replay) {}

  /** The replay of a refusal: answered like the first, but not recorded again. */
  static final class ReplayedProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReplayedProblem(EnrollException problem) {
      super(problem);
    }

    EnrollException problem() {
      return (EnrollException) getCause();
    }
  }
}
