package dev.enroll.observe;

import dev.enroll.enrollment.EnrollmentMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service levels {@code GET /v1/slo} reports, computed by the service from the
 * enrollments it answered: per profile, over the window, the success rate of automated
 * enrollments, the 50th and 95th percentile time to enroll, and the error budget left.
 *
 * <p>Counts live in memory, in 720 slots across the window, so they cover what this node
 * answered since it started (at most the window). A successful enrollment is one issued
 * or accepted into the issuance queue; a failure is a server-side one (5xx); refusals of
 * bad requests count neither way, as in the Prometheus rules.
 */
public final class ServiceLevels implements EnrollmentMetrics {
  private static final int SLOTS = 720;
  /** Upper bounds of the latency histogram, in seconds. */
  private static final double[] BOUNDS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600
  };

  private final Duration window;
  private final double successTarget;
  private final Duration latencyTarget;
  private final Clock clock;
  private final Instant started;
  private final Map<String, Series> series = new ConcurrentHashMap<>();

  /**
   * Service levels over a window.
   *
   * @param window the window
   * @param successTarget the share of automated enrollments that must succeed
   * @param latencyTarget the time 95% must stay under
   * @param clock the clock
   */
  public ServiceLevels(Duration window, double successTarget, Duration latencyTarget,
      Clock clock) {
    this.window = window;
    this.successTarget = successTarget;
    this.latencyTarget = latencyTarget;
    this.clock = clock;
    this.started = clock.instant();
  }

  @Override
  public void enrollment(String tenant, String profile, String outcome, String reason,
      Duration elapsed) {
    if ("unknown".equals(profile)) {
      return;
    }
    Series s = series.computeIfAbsent(tenant + "/" + profile,
        key -> new Series(tenant, profile));
    s.add(slot(), outcome, elapsed);
  }

  @Override
  public void renewal(String tenant, String profile, String outcome, String reason,
      Duration elapsed) {}

  @Override
  public void duplicate(String kind) {}

  private long slot() {
    return clock.millis() / Math.max(1, window.toMillis() / SLOTS);
  }

  /**
   * One profile's service levels.
   *
   * @param tenant the tenant
   * @param profile the profile
   * @param succeeded automated enrollments issued or queued
   * @param failed automated enrollments that failed on the server's side
   * @param refused requests refused as the client's error
   * @param awaitingApproval enrollments sent to a person
   * @param successRate succeeded over succeeded and failed (1 when there were none)
   * @param p50Seconds the median time to enroll
   * @param p95Seconds the 95th percentile time to enroll
   * @param latencyWithinTarget the share of enrollments faster than the latency target
   * @param errorBudgetRemaining the share of the window's error budget left (negative
   *     once overspent)
   */
  public record Level(
      String tenant,
      String profile,
      long succeeded,
      long failed,
      long refused,
      long awaitingApproval,
      double successRate,
      Double p50Seconds,
      Double p95Seconds,
      double latencyWithinTarget,
      double errorBudgetRemaining) {}

  /**
   * The report.
   *
   * @param window the window
   * @param since the start of what it covers (the later of the window's start and this
   *     node's start)
   * @param successTarget the success objective
   * @param latencyTarget the time-to-enroll objective, for 95% of enrollments
   * @param profiles one entry per profile with traffic
   */
  public record Report(Duration window, Instant since, double successTarget,
      Duration latencyTarget, List<Level> profiles) {}

  /**
   * Computes the report.
   *
   * @param tenant only this tenant, or null for all
   * @return the report
   */
  public Report report(String tenant) {
    long now = slot();
    List<Level> levels = new ArrayList<>();
    Map<String, Series> sorted = new java.util.TreeMap<>(series);
    for (Series s : sorted.values()) {
      if (tenant == null || tenant.equals(s.tenant)) {
        levels.add(s.level(now));
      }
    }
    Instant windowStart = clock.instant().minus(window);
    return new Report(window, windowStart.isAfter(started) ? windowStart : started,
        successTarget, latencyTarget, levels);
  }

  /** One profile's slots. */
  private final class Series {
    final String tenant;
    final String profile;
    final Map<Long, long[]> slots = new LinkedHashMap<>();

    Series(String tenant, String profile) {
      this.tenant = tenant;
      this.profile = profile;
    }

    /** Slot layout: succeeded, failed, refused, awaiting approval, then the histogram. */
    synchronized void add(long slot, String outcome, Duration elapsed) {
      long[] counts = slots.get(slot);
      if (counts == null) {
        // A new slot: the time to drop those that left the window, not at every count.
        slots.keySet().removeIf(s -> s <= slot - SLOTS);
        counts = new long[4 + BOUNDS.length + 1];
        slots.put(slot, counts);
      }
      switch (outcome) {
        case "issued":
        case "queued":
          counts[0]++;
          counts[4 + bucket(elapsed)]++;
          break;
        case "failed":
          counts[1]++;
          break;
        case "refused":
          counts[2]++;
          break;
        case "awaiting_approval":
          counts[3]++;
          break;
        default:
          break;
      }
    }

    synchronized Level level(long now) {
      long[] total = new long[4 + BOUNDS.length + 1];
      slots.forEach((slot, counts) -> {
        if (slot > now - SLOTS) {
          for (int i = 0; i < total.length; i++) {
            total[i] += counts[i];
          }
        }
      });
      long good = total[0];
      long bad = total[1];
      long eligible = good + bad;
      double successRate = eligible == 0 ? 1.0 : (double) good / eligible;
      double allowed = (1 - successTarget) * eligible;
      double budget = eligible == 0 ? 1.0 : allowed == 0 ? (bad == 0 ? 1.0 : -bad)
          : 1 - bad / allowed;
      long[] histogram = java.util.Arrays.copyOfRange(total, 4, total.length);
      return new Level(tenant, profile, good, bad, total[2], total[3], successRate,
          quantile(histogram, good, 0.5), quantile(histogram, good, 0.95),
          within(histogram, good), budget);
    }

    private double within(long[] histogram, long count) {
      if (count == 0) {
        return 1.0;
      }
      double target = latencyTarget.toNanos() / 1e9;
      long fast = 0;
      for (int i = 0; i < BOUNDS.length && BOUNDS[i] <= target; i++) {
        fast += histogram[i];
      }
      return (double) fast / count;
    }
  }

  private static int bucket(Duration elapsed) {
    double seconds = elapsed.toNanos() / 1e9;
    for (int i = 0; i < BOUNDS.length; i++) {
      if (seconds <= BOUNDS[i]) {
        return i;
      }
    }
    return BOUNDS.length;
  }

  /** A quantile by linear interpolation within its histogram bucket, as Prometheus does. */
  static Double quantile(long[] histogram, long count, double q) {
    if (count == 0) {
      return null;
    }
    double rank = q * count;
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      if (seen + histogram[i] >= rank && histogram[i] > 0) {
        double lower = i == 0 ? 0 : BOUNDS[i - 1];
        if (i == BOUNDS.length) {
          return lower;
        }
        double upper = BOUNDS[i];
        return lower + (upper - lower) * (rank - seen) / histogram[i];
      }
      seen += histogram[i];
    }
    return BOUNDS[BOUNDS.length - 1];
  }

  /** Both metric sinks at once: Prometheus and the service levels. */
  public static EnrollmentMetrics tee(EnrollmentMetrics first, ServiceLevels levels) {
    return new EnrollmentMetrics() {
      @Override
      public void enrollment(String tenant, String profile, String outcome, String reason,
          Duration elapsed) {
        first.enrollment(tenant, profile, outcome, reason, elapsed);
        levels.enrollment(tenant, profile, outcome, reason, elapsed);
      }

      @Override
      public void completed(String tenant, String profile, String path, Duration elapsed) {
        first.completed(tenant, profile, path, elapsed);
      }

      @Override
      public void renewal(String tenant, String profile, String outcome, String reason,
          Duration elapsed) {
        first.renewal(tenant, profile, outcome, reason, elapsed);
      }

      @Override
      public void duplicate(String kind) {
        first.duplicate(kind);
      }
    };
  }
}
