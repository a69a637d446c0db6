package dev.enroll.lifecycle;

import dev.enroll.audit.AuditEvent;
import dev.enroll.credential.Credential;
import dev.enroll.credential.CredentialStatus;
import dev.enroll.profile.Profile;
import dev.enroll.profile.ProfileCatalog;
import dev.enroll.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle's background work, on a schedule: credentials past {@code notAfter} become
 * {@code expired}, offboarded subjects past their retention lose their attributes (personal
 * data; the audit trail stays), and the counts of credentials due for renewal and of
 * subjects (by state, and reporting telemetry) are refreshed.
 * Each change writes its audit event in the same transaction.
 */
public final class Sweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
  private static final int BATCH = 500;

  private final Store store;
  private final Supplier<ProfileCatalog> profiles;
  private final Clock clock;
  private final Schedule schedule;
  private final LifecycleMetrics metrics;
  private final ScheduledExecutorService executor;

  /**
   * When the sweeps run and what they keep.
   *
   * @param interval time between sweeps
   * @param offboardRetention how long an offboarded subject's attributes are kept
   */
  public record Schedule(Duration interval, Duration offboardRetention) {}

  private final java.util.Map<String, Runnable> jobs =
      new java.util.concurrent.ConcurrentSkipListMap<>();

  /**
   * A sweeper; call {@link #start()}.
   *
   * @param store the store
   * @param profiles the current profiles, for renewal windows
   * @param clock the clock
   * @param schedule when to sweep
   * @param metrics where counts go
   */
  public Sweeper(Store store, Supplier<ProfileCatalog> profiles, Clock clock,
      Schedule schedule, LifecycleMetrics metrics) {
    this.store = store;
    this.profiles = profiles;
    this.clock = clock;
    this.schedule = schedule;
    this.metrics = metrics;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "enroll-sweep");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Adds a job that runs with every sweep, after the lifecycle's own, such as the expiry of
   * approval requests. A failing job is logged and does not stop the others.
   *
   * @param name the job's name, for the log
   * @param job the job
   */
  public void add(String name, Runnable job) {
    jobs.put(name, job);
  }

  /** Sweeps now, then every interval. */
  public void start() {
    long millis = schedule.interval().toMillis();
    executor.scheduleWithFixedDelay(this::sweepSafely, 0, millis, TimeUnit.MILLISECONDS);
  }

  private void sweepSafely() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.atWarn().setCause(e).log("lifecycle sweep failed; the next one retries");
    }
  }

  /** One sweep: expiry, purge, renewal counts. */
  public void sweep() {
    Instant now = clock.instant();

    int expired = 0;
    for (int n = expireBatch(now); n > 0; n = n == BATCH ? expireBatch(now) : 0) {
      expired += n;
    }
    metrics.expired(expired);

    int purged = 0;
    for (int n = purgeBatch(now); n > 0; n = n == BATCH ? purgeBatch(now) : 0) {
      purged += n;
    }

    for (Profile profile : profiles.get().all()) {
      long due = store.transact(tx -> tx.credentials().countActiveEndingBefore(
          profile.tenant(), profile.name(), now.plus(profile.renewal().window())));
      metrics.dueForRenewal(profile.tenant(), profile.name(), due);
    }
    store.transact(tx -> {
      metrics.subjects(tx.subjects().countByState(), tx.subjects().reportingByTenant(now));
      return null;
    });
    jobs.forEach((name, job) -> {
      try {
        job.run();
      } catch (RuntimeException e) {
        LOG.atWarn().setCause(e).addKeyValue("job", name)
            .log("sweep job failed; the next sweep retries");
      }
    });
    if (expired > 0 || purged > 0) {
      LOG.atInfo().addKeyValue("expired", expired).addKeyValue("purged", purged)
          .log("lifecycle sweep");
    }
  }

  private int expireBatch(Instant now) {
    return store.transact(tx -> {
      tx.lockJob("expiry-sweep");
      List<Credential> due = tx.credentials().dueToExpire(now, BATCH);
      for (Credential credential : due) {
        if (tx.credentials().changeStatus(credential.id(), credential.status(),
            CredentialStatus.EXPIRED, now, null)) {
          tx.audit().append(new AuditEvent(now, credential.tenant(), "system",
              "credential.expired", "credential:" + credential.serial(), AuditEvent.SUCCESS,
              null, null, Map.of("subject", credential.subjectId(),
                  "previousStatus", credential.status().wireName(),
                  "notAfter", credential.notAfter().toString())));
        }
      }
      return due.size();
    });
  }

  private int purgeBatch(Instant now) {
    Instant before = now.minus(schedule.offboardRetention());
    return store.transact(tx -> {
      tx.lockJob("purge-sweep");
      List<String> ids = tx.subjects().offboardedBefore(before, BATCH);
      for (String id : ids) {
        tx.subjects().purgeAttributes(id, now);
        tx.audit().append(new AuditEvent(now, tx.subjects().findById(null, id)
            .map(s -> s.tenant()).orElse("-"), "system", "subject.purged", "subject:" + id,
            AuditEvent.SUCCESS, null, null, Map.of("retention",
                schedule.offboardRetention().toString())));
      }
      return ids.size();
    });
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
