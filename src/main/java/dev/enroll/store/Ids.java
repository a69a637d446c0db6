package dev.enroll.store;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;

/**
 * Record ids: UUID version 7 (RFC 9562), a millisecond timestamp followed by random bits.
 * They sort by creation time, so new rows land at the end of each primary-key index
 * instead of on a random page: a commit rewrites few pages, on H2 and PostgreSQL alike.
 */
public final class Ids {
  private static final TimeBasedEpochRandomGenerator GENERATOR =
      Generators.timeBasedEpochRandomGenerator();

  private Ids() {}

  /** A new id in its canonical text form (36 characters). */
  public static String next() {
    return GENERATOR.generate().toString();
  }
}
