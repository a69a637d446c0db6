package dev.enroll.store.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

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
   * A connection that notes whether a statement that may write was prepared on it.
   *
   * @param connection the pooled connection
   * @param wrote set when a statement other than a select is prepared
   * @return the tracking connection
   */
  Connection tracking(Connection connection, AtomicBoolean wrote) {
    if (!syncAfterCommit) {
      return connection;
    }
    InvocationHandler handler = (proxy, method, args) -> {
      String name = method.getName();
      if (name.equals("prepareStatement") && args != null && args[0] instanceof String) {
        String sql = ((String) args[0]).stripLeading().toLowerCase(Locale.ROOT);
        if (!sql.startsWith("select") || sql.contains(" for update")) {
          wrote.set(true);
        }
      } else if (name.equals("createStatement") || name.equals("prepareCall")) {
        wrote.set(true);
      }
      try {
        return method.invoke(connection, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, handler);
  }

  /**
   * After a commit, forces what it wrote to the device where the database needs telling.
   *
   * @param connection the connection that committed
   * @param wrote whether the transaction may have written
   * @throws SQLException when the sync fails (the caller must not answer success)
   */
  void committed(Connection connection, boolean wrote) throws SQLException {
    if (syncAfterCommit && wrote) {
      try (Statement sync = connection.createStatement()) {
        sync.execute("CHECKPOINT SYNC");
      }
    }
  }
}
