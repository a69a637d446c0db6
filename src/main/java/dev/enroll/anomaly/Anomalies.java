package dev.enroll.anomaly;

import dev.enroll.audit.AuditEvent;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import dev.enroll.store.Ids;
import dev.enroll.store.Store;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches enrollment requests for surges and keeps the flags: a surge is audited
 * ({@code anomaly.detected}), counted, and stored; the profile's action applies to the
 * network's new enrollments until an admin clears the flag ({@code anomaly.cleared}).
 * Each node learns from the requests it sees; flags and clears are shared through the
 * store.
 */
public final class Anomalies {
  private static final Logger LOG = LoggerFactory.getLogger(Anomalies.class);

  private final Store store;
  private final Clock clock;
  private final AnomalyMetrics metrics;
  private final SurgeDetector detector = new SurgeDetector();

  /**
   * Anomaly detection.
   *
   * @param store where flags are kept
   * @param clock the clock
   * @param metrics where surges are counted
   */
  public Anomalies(Store store, Clock clock, AnomalyMetrics metrics) {
    this.store = store;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Where surges are counted. */
  public interface AnomalyMetrics {
    /**
     * A surge was flagged.
     *
     * @param tenant the tenant
     * @param profile the profile
     * @param action the action that now applies
     */
    void detected(String tenant, String profile, String action);

    /**
     * The number of active flags.
     *
     * @param count how many
     */
    void active(long count);

    /** Counts nothing. */
    AnomalyMetrics NONE = new AnomalyMetrics() {
      @Override
      public void detected(String tenant, String profile, String action) {}

      @Override
      public void active(long count) {}
    };
  }

  /**
   * Counts one enrollment request and says which action applies to it.
   *
   * @param tenant the tenant
   * @param profile the profile
   * @param settings the profile's settings, or null when it watches for none
   * @param source the client's address
   * @param requestId the request, for the audit event of a new surge
   * @return the action that applies, or null when the rate is normal
   */
  public AnomalySettings.Action check(String tenant, String profile, AnomalySettings settings,
      String source, String requestId) {
    if (settings == null) {
      return null;
    }
    SurgeDetector.Key key = new SurgeDetector.Key(tenant, profile, network(source, settings));
    Instant now = clock.instant();
    SurgeDetector.Verdict verdict = detector.observe(key, settings.detector(), now);
    if (verdict == SurgeDetector.Verdict.NORMAL) {
      return null;
    }
    if (verdict == SurgeDetector.Verdict.SURGE_STARTED) {
      flag(key, settings, now, requestId);
    }
    return settings.action();
  }

  private void flag(SurgeDetector.Key key, AnomalySettings settings, Instant now,
      String requestId) {
    double[] rate = detector.rate(key);
    Anomaly anomaly = new Anomaly(Ids.next(), key.tenant(), key.profile(), key.network(),
        settings.action().wireName(), now, rate[0], (long) rate[1], null, null);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("profile", key.profile());
    details.put("network", key.network());
    details.put("action", anomaly.action());
    details.put("baselinePerBucket", Math.round(rate[0] * 100) / 100.0);
    details.put("observedInBucket", anomaly.observed());
    details.put("bucket", settings.detector().bucket().toString());
    store.transact(tx -> {
      tx.anomalies().insert(anomaly);
      tx.audit().append(new AuditEvent(now, key.tenant(), "system", "anomaly.detected",
          "anomaly:" + anomaly.id(), AuditEvent.SUCCESS, null, requestId, details));
      return null;
    });
    metrics.detected(key.tenant(), key.profile(), anomaly.action());
    LOG.atWarn().addKeyValue("tenant", key.tenant()).addKeyValue("profile", key.profile())
        .addKeyValue("network", key.network()).addKeyValue("action", anomaly.action())
        .addKeyValue("baseline", rate[0]).addKeyValue("observed", anomaly.observed())
        .log("enrollment surge detected");
  }

  /**
   * The active flags.
   *
   * @param tenant the tenant, or null for all
   * @return the flags
   */
  public List<Anomaly> active(String tenant) {
    return store.transact(tx -> tx.anomalies().active(tenant));
  }

  /**
   * Clears a flag: the network's enrollments are treated normally again, and its rate is
   * learned anew.
   *
   * @param actor the admin
   * @param tenantScope the admin key's tenant, or null for all
   * @param id the flag
   * @param requestId the request
   * @return the flag as cleared
   * @throws EnrollException {@code not-found}, or {@code anomaly-not-active}
   */
  public Anomaly clear(String actor, String tenantScope, String id, String requestId) {
    Instant now = clock.instant();
    Anomaly cleared = store.transact(tx -> {
      Anomaly anomaly = tx.anomalies().find(tenantScope, id).orElseThrow(() ->
          new EnrollException(ProblemType.NOT_FOUND, "no anomaly " + id));
      if (anomaly.clearedAt() != null) {
        throw new EnrollException(ProblemType.ANOMALY_NOT_ACTIVE, "the anomaly was cleared at "
            + anomaly.clearedAt() + " by " + anomaly.clearedBy());
      }
      tx.anomalies().clear(anomaly, now, actor);
      tx.audit().append(new AuditEvent(now, anomaly.tenant(), actor, "anomaly.cleared",
          "anomaly:" + anomaly.id(), AuditEvent.SUCCESS, null, requestId,
          Map.of("profile", anomaly.profile(), "network", anomaly.network())));
      return tx.anomalies().find(null, id).orElseThrow();
    });
    detector.clear(new SurgeDetector.Key(cleared.tenant(), cleared.profile(),
        cleared.network()));
    return cleared;
  }

  /**
   * Applies clears made on other nodes and counts the active flags; called by the sweep.
   */
  public void refresh() {
    List<Anomaly> active = active(null);
    Set<SurgeDetector.Key> flagged = new HashSet<>();
    for (Anomaly anomaly : active) {
      flagged.add(new SurgeDetector.Key(anomaly.tenant(), anomaly.profile(),
          anomaly.network()));
    }
    for (SurgeDetector.Key key : detector.surgingKeys()) {
      if (!flagged.contains(key)) {
        detector.clear(key);
      }
    }
    metrics.active(active.size());
  }

  /**
   * The network a source address belongs to.
   *
   * @param source a literal IPv4 or IPv6 address
   * @param settings the prefix lengths
   * @return such as {@code 192.0.2.0/24}, or {@code unknown}
   */
  static String network(String source, AnomalySettings settings) {
    if (source == null || !source.matches("[0-9A-Fa-f:.]+")) {
      return "unknown";
    }
    try {
      byte[] address = InetAddress.getByName(source).getAddress();
      int prefix = address.length == 4 ? settings.ipv4Prefix() : settings.ipv6Prefix();
      for (int bit = prefix; bit < address.length * 8; bit++) {
        address[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
      }
      return InetAddress.getByAddress(address).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
