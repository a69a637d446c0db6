package dev.enroll.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * Makes a commit durable before its answer leaves. PostgreSQL does so itself (it flushes
 * its log at commit). The embedded H2 store writes each commit to its file, which survives
 * a killed process but not a lost machine: after a transaction that wrote, this forces the
 * file to the device ({@code CHECKPOINT SYNC}), so that a certificate once answered is
 * never forgotten. Group commit pays that once per batch.
 */
final class Durability {
  private final boolean syncAfterCommit;

  Durability(String url) {
    this.syncAfterCommit = url.startsWith("jdbc:h2:file:");
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
    Session session = connection.unwrap(JdbcConnection.class).getSession();
    return !(session instanceof SessionLocal)
        || ((SessionLocal) session).hasPendingTransaction();
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
}
