package dev.enroll.store.jdbc;

import dev.enroll.store.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one writer thread takes whatever work is waiting, runs each piece under its
 * own savepoint in one transaction, and commits once for all of them. An embedded database
 * pays mostly per commit (it writes every changed page), so under load this turns many
 * commits into few; with a single caller it is one transaction as before.
 *
 * <p>Most of a batch's cost is fixed: H2 rewrites the right edge (a leaf and its parent) of
 * every map a batch touched, about 25 for an enrollment, and writing that chunk and forcing
 * it to the device takes the writer three quarters of its time under load. Fewer indexes
 * per enrollment, or certificates kept as DER rather than PEM text, would lower it.
 */
final class GroupCommit implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
  private static final int MAX_BATCH = 64;

  /** Thrown to a caller whose work must run again alone. */
  static final class RunAlone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RunAlone(Throwable cause) {
      super(null, cause, false, false);
    }
  }

  private final DataSource pool;
  private final Durability durability;
  private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean open = true;

  GroupCommit(DataSource pool, Durability durability) {
    this.pool = pool;
    this.durability = durability;
    this.writer = new Thread(this::writeLoop, "enroll-group-commit");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /**
   * Runs work in the next shared transaction and waits for its commit.
   *
   * @throws RunAlone when the caller must run the work in a transaction of its own
   */
  <T> T run(Store.Work<T> work) {
    if (!open) {
      throw new RunAlone(null);
    }
    Pending<T> pending = new Pending<>(work);
    queue.add(pending);
    try {
      return pending.result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the commit", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw (Error) cause;
    }
  }

  private void writeLoop() {
    List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
    while (open || !queue.isEmpty()) {
      try {
        Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | Error e) {
        LOG.atError().setCause(e).log("group commit failed");
        batch.forEach(p -> p.result.completeExceptionally(new RunAlone(e)));
      } finally {
        batch.clear();
      }
    }
    queue.forEach(p -> p.result.completeExceptionally(new RunAlone(null)));
  }

  private void commit(List<Pending<?>> batch) {
    List<Pending<?>> done = new ArrayList<>(batch.size());
    try (Connection connection = pool.getConnection()) {
      JdbcTransaction tx = new JdbcTransaction(connection);
      for (Pending<?> pending : batch) {
        Savepoint savepoint = connection.setSavepoint();
        try {
          pending.attempt(tx);
          done.add(pending);
        } catch (RuntimeException | Error e) {
          connection.rollback(savepoint);
          // A store failure may mean the transaction is broken: the caller retries alone.
          pending.result.completeExceptionally(
              JdbcFailure.storeFailure(e) ? new RunAlone(e) : e);
        }
      }
      boolean changed = !done.isEmpty() && durability.changed(connection);
      connection.commit();
      try {
        durability.committed(connection, changed);
      } catch (SQLException e) {
        // Committed, but not known to be on the device: no caller may hear success, and
        // none may run again either (the work is in the database).
        LOG.atError().setCause(e).addKeyValue("works", done.size())
            .log("commit not synced to the device");
        done.forEach(p -> p.result.completeExceptionally(new JdbcException(e)));
        return;
      }
    } catch (SQLException | RuntimeException e) {
      LOG.atWarn().addKeyValue("works", batch.size()).addKeyValue("reason", e.toString())
          .log("shared commit failed; each work runs alone");
      // Every caller of the batch not answered yet runs alone: those whose work ran, and
      // those the failure (a broken connection, say) stopped before their turn.
      batch.stream().filter(p -> !p.result.isDone())
          .forEach(p -> p.result.completeExceptionally(new RunAlone(e)));
      return;
    }
    done.forEach(Pending::complete);
  }

  @Override
  public void close() {
    open = false;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One caller's work and the answer it waits for. */
  private static final class Pending<T> {
    final Store.Work<T> work;
    final CompletableFuture<T> result = new CompletableFuture<>();
    T value;

    Pending(Store.Work<T> work) {
      this.work = work;
    }

    void attempt(JdbcTransaction tx) {
      value = work.run(tx);
    }

    void complete() {
      result.complete(value);
    }
  }
}
