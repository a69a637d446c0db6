package dev.enroll.anomaly;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Flagged surges. */
public interface AnomalyRepository {
  /**
   * Stores a new flag.
   *
   * @param anomaly the flag
   */
  void insert(Anomaly anomaly);

  /**
   * The active flags.
   *
   * @param tenant the tenant, or null for all
   * @return the flags, oldest first
   */
  List<Anomaly> active(String tenant);

  /**
   * Finds a flag.
   *
   * @param tenant the tenant, or null for any
   * @param id the flag's id
   * @return the flag
   */
  Optional<Anomaly> find(String tenant, String id);

  /**
   * Clears every active flag of a key.
   *
   * @param anomaly one of them
   * @param at when
   * @param by who
   * @return how many were active
   */
  int clear(Anomaly anomaly, Instant at, String by);
}
