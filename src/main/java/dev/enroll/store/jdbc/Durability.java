package dev.enroll.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a commit durable before its answer leaves. PostgreSQL does so itself (it flushes
 * its log at commit). The embedded H2 store keeps a commit in memory until it writes its
 * next chunk, and a written chunk survives a killed process but not a lost machine: after a
 * transaction that wrote, this writes the chunk and forces the file to the device
 * ({@code CHECKPOINT SYNC}), so that a certificate once answered is never forgotten. Group
 * commit pays that once per batch.
 *
 * <p>H2's background writer stores chunks of its own (its housekeeping moves live pages
 * out of mostly dead chunks), and nobody commits after them: each second this forces those
 * to the device too. So every chunk is on the device within about a second of being
 * written, and the store can hand the space of a dead chunk back after a few seconds
 * ({@link #RETENTION_MILLIS}) instead of H2's 45, which assumes nobody syncs.
 */
final class Durability implements AutoCloseable {
  /**
   * How long a dead chunk keeps its space, for the embedded database's URL: well past the
   * second within which every chunk written has been forced to the device.
   */
  static final int RETENTION_MILLIS = 5_000;

  private static final Logger LOG = LoggerFactory.getLogger(Durability.class);
  private static final long FLUSH_MILLIS = 1_000;

  private final boolean syncAfterCommit;
  private final ScheduledExecutorService flusher;
  private volatile MVStore store;
  private long flushedWrites = -1;

  Durability(String url) {
    this.syncAfterCommit = url.startsWith("jdbc:h2:file:");
    this.flusher = syncAfterCommit ? Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "enroll-store-flush");
      thread.setDaemon(true);
      return thread;
    }) : null;
  }

  /**
   * Starts forcing the embedded database's own writes to the device every second.
   *
   * @param pool the store's connections
   * @throws SQLException when no connection can be had
   */
  void watch(DataSource pool) throws SQLException {
    if (!syncAfterCommit) {
      return;
    }
    try (Connection connection = pool.getConnection()) {
      store = ((SessionLocal) session(connection)).getDatabase().getStore().getMvStore();
    }
    flusher.scheduleWithFixedDelay(this::flushOwnWrites, FLUSH_MILLIS, FLUSH_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Whether the connection's open transaction changed anything, asked of the embedded
   * database before the commit (a select, even one that locks rows, leaves nothing to
   * sync). Elsewhere the answer is always yes, and {@link #committed} ignores it.
   *
   * @param connection the connection, before its commit
   * @return true when the commit will need a sync
   * @throws SQLException when the connection cannot say
   */
  boolean changed(Connection connection) throws SQLException {
    if (!syncAfterCommit) {
      return true;
    }
    Session session = session(connection);
    return !(session instanceof SessionLocal)
        || ((SessionLocal) session).hasPendingTransaction();
  }

  private static Session session(Connection connection) throws SQLException {
    return connection.unwrap(JdbcConnection.class).getSession();
  }

  /**
   * After a commit, forces what it wrote to the device where the database needs telling.
   *
   * @param connection the connection that committed
   * @param changed what {@link #changed(Connection)} said before the commit
   * @throws SQLException when the sync fails (the caller must not answer success)
   */
  void committed(Connection connection, boolean changed) throws SQLException {
    if (syncAfterCommit && changed) {
      try (Statement sync = connection.createStatement()) {
        sync.execute("CHECKPOINT SYNC");
      }
    }
  }

  /**
   * The embedded database's store, once {@link #watch} has run.
   *
   * @return the store, or empty on PostgreSQL
   */
  Optional<MVStore> embedded() {
    return Optional.ofNullable(store);
  }

  private void flushOwnWrites() {
    MVStore mvStore = store;
    if (mvStore == null || mvStore.isClosed()) {
      return;
    }
    long writes = mvStore.getFileStore().getWriteCount();
    if (writes == flushedWrites) {
      return;
    }
    try {
      mvStore.sync();
      flushedWrites = writes;
    } catch (RuntimeException e) {
      if (!mvStore.isClosed()) {
        LOG.atWarn().addKeyValue("reason", e.toString()).log("store flush failed; retrying");
      }
    }
  }

  /**
   * Stops the flushing, letting a flush under way finish (an interrupt would close the
   * file under the database); the database's close forces what is left.
   */
  @Override
  public void close() {
    if (flusher == null) {
      return;
    }
    flusher.shutdown();
    try {
      flusher.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
