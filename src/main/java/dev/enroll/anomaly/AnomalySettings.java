package dev.enroll.anomaly;

import dev.enroll.config.ConfigException;
import dev.enroll.config.DurationText;
import dev.enroll.config.ProfileConfig;
import java.time.Duration;
import java.util.Locale;

/**
 * A profile's surge detection, compiled.
 *
 * @param action what a surge does
 * @param detector how the rate is learned and a surge told
 * @param ipv4Prefix the prefix length grouping IPv4 sources
 * @param ipv6Prefix the prefix length grouping IPv6 sources
 */
public record AnomalySettings(
    Action action, SurgeDetector.Settings detector, int ipv4Prefix, int ipv6Prefix) {

  /** What a surge does to new enrollments from the network, until an admin clears it. */
  public enum Action {
    /** Nothing beyond the audit event and the metric. */
    ALERT,
    /** They wait for a person's approval. */
    APPROVAL,
    /** They are issued, then quarantined (their certificates on hold). */
    QUARANTINE;

    /** The lower-case name used in configuration, metrics and the API. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Compiles a profile's {@code anomaly} section.
   *
   * @param at the profile's key
   * @param c the section, or null
   * @return the settings, or null when detection is off
   * @throws ConfigException naming the key of a wrong value
   */
  public static AnomalySettings compile(String at, ProfileConfig.AnomalyConfig c) {
    if (c == null) {
      return null;
    }
    String key = at + ".anomaly";
    Action action;
    try {
      action = Action.valueOf(c.action().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + ".action", "'" + c.action()
          + "' is not alert, approval or quarantine");
    }
    Duration bucket = DurationText.parse(key + ".bucket", c.bucket());
    Duration halfLife = DurationText.parse(key + ".halfLife", c.halfLife());
    if (halfLife.compareTo(bucket) < 0) {
      throw new ConfigException(key + ".halfLife", "is shorter than a bucket");
    }
    if (c.sigmas() <= 0 || c.minCount() < 1 || c.learningBuckets() < 1) {
      throw new ConfigException(key, "sigmas must be positive, minCount and learningBuckets"
          + " at least 1");
    }
    if (c.ipv4Prefix() < 8 || c.ipv4Prefix() > 32 || c.ipv6Prefix() < 16
        || c.ipv6Prefix() > 128) {
      throw new ConfigException(key, "ipv4Prefix must lie in 8..32 and ipv6Prefix in"
          + " 16..128");
    }
    double alpha = 1 - Math.pow(0.5, (double) bucket.toMillis() / halfLife.toMillis());
    return new AnomalySettings(action, new SurgeDetector.Settings(bucket, alpha, c.sigmas(),
        c.minCount(), c.learningBuckets()), c.ipv4Prefix(), c.ipv6Prefix());
  }
}
