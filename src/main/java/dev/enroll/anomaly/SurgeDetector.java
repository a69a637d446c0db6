package dev.enroll.anomaly;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Learns the normal rate of enrollment requests per key (tenant, profile, source network)
 * and tells when the current one surges. Requests are counted in buckets (a minute, say);
 * each closed bucket updates an exponentially weighted mean and variance of the count. A
 * bucket surges when, after the learning buckets, its count reaches the floor and exceeds
 * the mean by more than {@code sigmas} deviations, where the deviation is never taken below
 * the Poisson noise of the mean (so perfectly steady traffic does not make every extra
 * request a surge). A slow ramp moves the mean along with it and does not surge.
 *
 * <p>A surging key stays surging, and stops learning, until {@link #clear} is called.
 */
public final class SurgeDetector {
  /** Longest idle gap replayed bucket by bucket; a longer one decays in one step. */
  private static final int MAX_REPLAYED_BUCKETS = 10_000;

  private final Map<Key, Baseline> baselines = new ConcurrentHashMap<>();

  /**
   * What the detector watches.
   *
   * @param tenant the tenant
   * @param profile the profile
   * @param network the source network, such as {@code 192.0.2.0/24}
   */
  public record Key(String tenant, String profile, String network) {}

  /**
   * How it learns and when it flags.
   *
   * @param bucket the counting interval
   * @param alpha the weight of a new bucket in the mean (0 to 1)
   * @param sigmas how many deviations above the mean a surge lies
   * @param minCount the fewest requests in a bucket that can surge
   * @param learningBuckets buckets to learn before anything can surge
   */
  public record Settings(
      Duration bucket, double alpha, double sigmas, long minCount, int learningBuckets) {}

  /** What one request found. */
  public enum Verdict {
    /** The rate is normal. */
    NORMAL,
    /** This request made the key surge. */
    SURGE_STARTED,
    /** The key was surging already. */
    SURGING
  }

  /**
   * Counts one request.
   *
   * @param key what it counts for
   * @param settings the profile's settings
   * @param now the time of the request
   * @return whether the key surges
   */
  public Verdict observe(Key key, Settings settings, Instant now) {
    Baseline baseline = baselines.computeIfAbsent(key, k -> new Baseline(start(now, settings)));
    synchronized (baseline) {
      baseline.roll(now, settings);
      baseline.count++;
      if (baseline.surging) {
        return Verdict.SURGING;
      }
      if (baseline.surges(settings)) {
        baseline.surging = true;
        return Verdict.SURGE_STARTED;
      }
      return Verdict.NORMAL;
    }
  }

  /**
   * The learned rate of a key, for the audit event of a surge.
   *
   * @param key the key
   * @return requests per bucket: the mean, and the current bucket's count
   */
  public double[] rate(Key key) {
    Baseline baseline = baselines.get(key);
    if (baseline == null) {
      return new double[] {0, 0};
    }
    synchronized (baseline) {
      return new double[] {baseline.mean, baseline.count};
    }
  }

  /**
   * Ends a surge: the key learns again from the next bucket.
   *
   * @param key the key
   */
  public void clear(Key key) {
    Baseline baseline = baselines.get(key);
    if (baseline != null) {
      synchronized (baseline) {
        baseline.surging = false;
      }
    }
  }

  /** The keys surging now. */
  public java.util.Set<Key> surgingKeys() {
    java.util.Set<Key> keys = new java.util.HashSet<>();
    baselines.forEach((key, baseline) -> {
      if (baseline.surging) {
        keys.add(key);
      }
    });
    return keys;
  }

  /** Whether a key surges now. */
  public boolean surging(Key key) {
    Baseline baseline = baselines.get(key);
    return baseline != null && baseline.surging;
  }

  private static long start(Instant now, Settings settings) {
    long bucket = settings.bucket().toMillis();
    return now.toEpochMilli() / bucket * bucket;
  }

  /** One key's learned rate and current bucket. */
  private static final class Baseline {
    long bucketStart;
    long count;
    double mean;
    double variance;
    int learned;
    volatile boolean surging;

    Baseline(long bucketStart) {
      this.bucketStart = bucketStart;
    }

    void roll(Instant now, Settings settings) {
      long bucket = settings.bucket().toMillis();
      long elapsed = (now.toEpochMilli() - bucketStart) / bucket;
      if (elapsed <= 0) {
        return;
      }
      learn(count, settings);
      long idle = Math.min(elapsed - 1, MAX_REPLAYED_BUCKETS);
      for (long i = 0; i < idle; i++) {
        learn(0, settings);
      }
      bucketStart += elapsed * bucket;
      count = 0;
    }

    private void learn(long observed, Settings settings) {
      if (surging) {
        return;
      }
      if (learned == 0) {
        mean = observed;
        variance = 0;
      } else {
        double difference = observed - mean;
        double increment = settings.alpha() * difference;
        mean += increment;
        variance = (1 - settings.alpha()) * (variance + difference * increment);
      }
      learned++;
    }

    boolean surges(Settings settings) {
      if (learned < settings.learningBuckets() || count < settings.minCount()) {
        return false;
      }
      double deviation = Math.sqrt(Math.max(variance, Math.max(mean, 1.0)));
      return count > mean + settings.sigmas() * deviation;
    }
  }
}
