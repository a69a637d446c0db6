package dev.enroll.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SurgeDetectorTest {
  private static final SurgeDetector.Settings SETTINGS = new SurgeDetector.Settings(
      Duration.ofMinutes(1), 1 - Math.pow(0.5, 1.0 / 10), 5, 20, 10);
  private static final SurgeDetector.Key KEY =
      new SurgeDetector.Key("t", "p", "192.0.2.0/24");

  private final SurgeDetector detector = new SurgeDetector();
  private Instant now = Instant.parse("2026-12-01T00:00:00Z");

  /** Sends a bucket's requests spread over its minute; returns the first verdict not normal. */
  private SurgeDetector.Verdict minute(long requests) {
    SurgeDetector.Verdict worst = SurgeDetector.Verdict.NORMAL;
    for (long i = 0; i < requests; i++) {
      Instant at = now.plusMillis(i * 60_000 / Math.max(requests, 1));
      SurgeDetector.Verdict verdict = detector.observe(KEY, SETTINGS, at);
      if (worst == SurgeDetector.Verdict.NORMAL) {
        worst = verdict;
      }
    }
    now = now.plus(Duration.ofMinutes(1));
    return worst;
  }

  /** Counts drawn around a mean with Poisson-sized noise, the same each run. */
  private static long noisy(Random random, double mean) {
    return Math.max(0, Math.round(mean + random.nextGaussian() * Math.sqrt(mean)));
  }

  @Test
  void steadyNoisyTrafficForSixHoursDoesNotSurge() {
    Random random = new Random(7);

    for (int minute = 0; minute < 360; minute++) {
      assertThat(minute(noisy(random, 30))).as("minute " + minute)
          .isEqualTo(SurgeDetector.Verdict.NORMAL);
    }
  }

  @Test
  void steadyRampThatTriplesOverThreeHoursDoesNotSurge() {
    Random random = new Random(11);

    for (int minute = 0; minute < 180; minute++) {
      double mean = 20 + 40.0 * minute / 180;
      assertThat(minute(noisy(random, mean))).as("minute " + minute)
          .isEqualTo(SurgeDetector.Verdict.NORMAL);
    }
  }

  @Test
  void tenfoldBurstSurgesWithinItsMinuteAndStaysFlagged() {
    for (int minute = 0; minute < 30; minute++) {
      minute(20);
    }

    assertThat(minute(200)).isEqualTo(SurgeDetector.Verdict.SURGE_STARTED);
    assertThat(detector.surging(KEY)).isTrue();
    assertThat(minute(20)).as("flagged until cleared").isEqualTo(SurgeDetector.Verdict.SURGING);
  }

  @Test
  void nothingSurgesWhileTheRateIsStillBeingLearned() {
    minute(1);

    assertThat(minute(500)).isEqualTo(SurgeDetector.Verdict.NORMAL);
  }

  @Test
  void burstBelowTheFloorDoesNotSurge() {
    for (int minute = 0; minute < 30; minute++) {
      minute(1);
    }

    assertThat(minute(19)).isEqualTo(SurgeDetector.Verdict.NORMAL);
  }

  @Test
  void clearedKeyLearnsAgainAndCanSurgeAgain() {
    for (int minute = 0; minute < 30; minute++) {
      minute(20);
    }
    minute(200);

    detector.clear(KEY);

    assertThat(minute(20)).isEqualTo(SurgeDetector.Verdict.NORMAL);
    assertThat(minute(300)).isEqualTo(SurgeDetector.Verdict.SURGE_STARTED);
  }

  @Test
  void otherNetworksAreLearnedApart() {
    for (int minute = 0; minute < 30; minute++) {
      minute(20);
    }
    SurgeDetector.Key other = new SurgeDetector.Key("t", "p", "198.51.100.0/24");

    for (int i = 0; i < 200; i++) {
      assertThat(detector.observe(other, SETTINGS, now)).isEqualTo(
          SurgeDetector.Verdict.NORMAL);
    }
  }
}
