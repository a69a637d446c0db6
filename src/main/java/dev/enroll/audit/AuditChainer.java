package dev.enroll.audit;

import dev.enroll.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chains committed audit events in batches, after the transactions that wrote them, so that
 * appending never serializes enrollments; and signs a checkpoint every N events or T time.
 * One chainer runs per store.
 */
public final class AuditChainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditChainer.class);
  private static final int BATCH = 500;
  private static final long POLL_MILLIS = 200;

  /**
   * When to sign a checkpoint: after this many events, or this long after the last one when
   * any event came since.
   *
   * @param everyEvents events between checkpoints
   * @param everyInterval time between checkpoints
   */
  public record Schedule(int everyEvents, Duration everyInterval) {}

  private final Store store;
  private final AuditKey key;
  private final Schedule schedule;
  private final AuditMetrics metrics;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private long checkpointSeq;
  private Instant checkpointTime;

  /**
   * A chainer; call {@link #start()} to run it.
   *
   * @param store the store
   * @param key the checkpoint key
   * @param schedule when to sign checkpoints
   * @param metrics where to report
   * @param clock the clock
   */
  public AuditChainer(Store store, AuditKey key, Schedule schedule, AuditMetrics metrics,
      Clock clock) {
    this.store = store;
    this.key = key;
    this.schedule = schedule;
    this.metrics = metrics;
    this.clock = clock;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "enroll-audit-chainer");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Publishes the key, chains what waits, and keeps chaining in the background. */
  public void start() {
    Optional<Checkpoint> last = store.transact(tx -> {
      tx.audit().publishKey(key.keyId(), key.publicKeyPem());
      return tx.audit().latestCheckpoint();
    });
    checkpointSeq = last.map(Checkpoint::seq).orElse(0L);
    checkpointTime = last.map(Checkpoint::time).orElse(clock.instant());
    executor.scheduleWithFixedDelay(this::runSafely, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void runSafely() {
    try {
      chainAll();
    } catch (RuntimeException e) {
      LOG.atWarn().setCause(e).log("audit chaining failed; retrying");
    }
  }

  /**
   * Chains every committed event not yet chained, then signs a checkpoint when one is due.
   *
   * @return the chain's head sequence number
   */
  public synchronized long chainAll() {
    long head;
    int chained;
    do {
      long[] result = store.transact(tx -> {
        // Nodes sharing a store take turns: one chain, one head at a time.
        tx.lockJob("audit-chain");
        Optional<ChainedEvent> previous = tx.audit().head();
        List<AuditLog.Unchained> batch = tx.audit().unchained(BATCH);
        ChainedEvent link = previous.orElse(null);
        for (AuditLog.Unchained next : batch) {
          link = AuditChain.link(link, next.event());
          tx.audit().chain(next.rowId(), link.seq(), link.prevHash(), link.hash());
        }
        return new long[] {link == null ? 0 : link.seq(), batch.size()};
      });
      head = result[0];
      chained = (int) result[1];
      metrics.chained(chained);
    } while (chained == BATCH);
    metrics.unchained(store.transact(tx -> tx.audit().unchainedCount()));
    checkpointIfDue(head);
    return head;
  }

  private void checkpointIfDue(long head) {
    Instant now = clock.instant();
    boolean byCount = head - checkpointSeq >= schedule.everyEvents();
    boolean byTime = head > checkpointSeq
        && !now.isBefore(checkpointTime.plus(schedule.everyInterval()));
    if (byCount || byTime) {
      checkpoint(head, now);
    }
  }

  private void checkpoint(long head, Instant now) {
    Checkpoint checkpoint = store.transact(tx -> {
      tx.lockJob("audit-chain");
      if (tx.audit().latestCheckpoint().map(Checkpoint::seq).orElse(0L) >= head) {
        return null;
      }
      ChainedEvent event = tx.audit().chained(head - 1, 1).get(0);
      Checkpoint signed = key.sign(event.seq(), event.hash(), now);
      tx.audit().addCheckpoint(signed);
      return signed;
    });
    if (checkpoint == null) {
      // Another node sealed this head already.
      checkpointSeq = head;
      checkpointTime = now;
      return;
    }
    checkpointSeq = checkpoint.seq();
    checkpointTime = checkpoint.time();
    metrics.checkpointed();
    LOG.atInfo().addKeyValue("seq", checkpoint.seq())
        .addKeyValue("hash", checkpoint.headHash())
        .addKeyValue("time", checkpoint.time())
        .addKeyValue("keyId", checkpoint.keyId())
        .addKeyValue("signature", checkpoint.signature())
        .log("audit checkpoint");
  }

  /** Stops the background work after chaining and sealing what was committed. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
      long head = chainAll();
      if (head > checkpointSeq) {
        checkpoint(head, clock.instant());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.atWarn().setCause(e).log("final audit chaining failed; it resumes at next start");
    }
  }
}
