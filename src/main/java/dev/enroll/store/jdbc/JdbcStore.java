package dev.enroll.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.enroll.store.Store;
import dev.enroll.store.StoreUnavailableException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on JDBC: the embedded H2 database in the data directory by default, or
 * PostgreSQL. Migrations run at start with Flyway.
 */
public final class JdbcStore implements Store {
  /** The longest a statement may run unless the configuration says otherwise. */
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);
  private static final int ATTEMPTS = 8;

  private final HikariDataSource pool;
  private final GroupCommit groupCommit;
  private final Announcements announcements;
  private final boolean postgres;
  private final Durability durability;

  private JdbcStore(HikariDataSource pool, String url, String user, String password) {
    this.pool = pool;
    this.durability = new Durability(url);
    try {
      durability.watch(pool);
    } catch (SQLException e) {
      throw new StoreUnavailableException(e);
    }
    this.groupCommit = new GroupCommit(pool, durability);
    this.announcements = new Announcements(url, user, password);
    this.postgres = url.startsWith("jdbc:postgresql:");
  }

  /**
   * The embedded database under a data directory. Every commit that wrote is written and
   * forced to the device before the answer leaves: a certificate the store forgot could
   * never be revoked. H2's background writer stays on (its write delay is 500 ms) although
   * no commit waits for it: it is what rewrites the chunks that a few live pages keep
   * alive. Without it the file grew by about 43 KB for every enrollment, without bound. A
   * dead chunk's space is reused after {@link Durability#RETENTION_MILLIS} (H2 waits 45 s
   * by default, for writes nobody forces; here every write is forced within a second).
   *
   * <p>Each connection keeps 64 parsed statements (H2 keeps 8 by default, fewer than one
   * enrollment prepares, so it parsed them again and again), and the page cache is 128 MiB
   * (16 by default), so that the pages a commit rewrites are rarely read back from the file.
   *
   * @param directory the data directory
   * @param poolSize the most pooled connections
   * @return the store, migrated
   */
  public static JdbcStore embedded(Path directory, int poolSize) {
    return open(embeddedUrl(directory)
        + ";WRITE_DELAY=500;RETENTION_TIME=" + Durability.RETENTION_MILLIS
        + ";LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64;CACHE_SIZE=131072", null, null, poolSize);
  }

  /**
   * The JDBC URL of the embedded database under a data directory, for tools that read it.
   *
   * @param directory the data directory
   * @return the URL, without settings for writing
   */
  public static String embeddedUrl(Path directory) {
    return "jdbc:h2:file:" + directory.resolve("db").resolve("enroll").toAbsolutePath()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
  }

  /**
   * A store at a JDBC URL.
   *
   * @param url the JDBC URL
   * @param user the user, or null
   * @param password the password, or null
   * @param poolSize the most pooled connections
   * @return the store, migrated
   */
  public static JdbcStore open(String url, String user, String password, int poolSize) {
    return open(url, user, password, poolSize, DEFAULT_STATEMENT_TIMEOUT);
  }

  /**
   * A store at a JDBC URL, with a bound on every statement.
   *
   * <p>On PostgreSQL each connection sets {@code statement_timeout}, and the driver gives up
   * on a server that stops answering ({@code socketTimeout}, {@code connectTimeout}); a pool
   * that has no free connection within 5 s answers unavailable. So with the database gone
   * a request fails within seconds instead of hanging.
   *
   * @param url the JDBC URL
   * @param user the user, or null
   * @param password the password, or null
   * @param poolSize the most pooled connections
   * @param statementTimeout the longest a statement may run
   * @return the store, migrated
   */
  public static JdbcStore open(String url, String user, String password, int poolSize,
      Duration statementTimeout) {
    HikariConfig config = new HikariConfig();
    if (url.startsWith("jdbc:postgresql:")) {
      config.addDataSourceProperty("options",
          "-c statement_timeout=" + statementTimeout.toMillis());
      config.addDataSourceProperty("connectTimeout", "5");
      config.addDataSourceProperty("socketTimeout",
          Long.toString(statementTimeout.toSeconds() + 5));
      config.addDataSourceProperty("ApplicationName", "enroll");
    }
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("enroll-store");
    config.setAutoCommit(false);
    config.setConnectionTimeout(5_000);
    config.setValidationTimeout(2_000);
    HikariDataSource pool = new HikariDataSource(config);
    try {
      Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    LOG.atInfo().addKeyValue("url", redact(url)).addKeyValue("poolSize", poolSize)
        .log("store opened");
    try {
      return new JdbcStore(pool, url, user, password);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  @Override
  public <T> T transact(Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = pool.getConnection()) {
        JdbcTransaction tx;
        T result;
        boolean changed;
        try {
          tx = new JdbcTransaction(connection);
          result = work.run(tx);
          changed = durability.changed(connection);
          connection.commit();
        } catch (RuntimeException | Error e) {
          rollback(connection);
          SQLException sql = sqlCause(e);
          if (sql != null && JdbcFailure.transientConflict(sql) && attempt < ATTEMPTS) {
            backoff(attempt);
            continue;
          }
          throw e;
        } catch (SQLException e) {
          rollback(connection);
          if (JdbcFailure.transientConflict(e) && attempt < ATTEMPTS) {
            backoff(attempt);
            continue;
          }
          throw e;
        }
        // Committed: a sync that fails is the caller's failure, never a reason to run the
        // work again (it is in the database).
        durability.committed(connection, changed);
        announcements.committed(tx.announced(), postgres);
        return result;
      } catch (SQLException e) {
        if (JdbcFailure.unavailable(e)) {
          throw new StoreUnavailableException(e);
        }
        throw new JdbcException(e);
      } catch (JdbcException e) {
        if (JdbcFailure.unavailable(e)) {
          throw new StoreUnavailableException(e);
        }
        throw e;
      }
    }
  }

  /**
   * The pooled data source, for operator tools and tests that read the tables directly.
   *
   * @return the data source; connections do not auto-commit
   */
  public DataSource dataSource() {
    return pool;
  }

  @Override
  public boolean ready() {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(2);
      statement.execute("select 1");
      connection.commit();
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public <T> T transactGrouped(Work<T> work) {
    try {
      return groupCommit.run(work);
    } catch (GroupCommit.RunAlone e) {
      return transact(work);
    }
  }

  @Override
  public void onAnnouncement(String topic, Runnable listener) {
    announcements.listen(topic, listener);
  }

  /**
   * The embedded database's file, for its gauges.
   *
   * @return the file, or empty on PostgreSQL
   */
  public Optional<EmbeddedFile> embeddedFile() {
    return durability.embedded().map(EmbeddedFile::new);
  }

  /** The embedded database's file, read live. */
  public static final class EmbeddedFile {
    private final MVStore store;

    private EmbeddedFile(MVStore store) {
      this.store = store;
    }

    /**
     * The file's size.
     *
     * @return bytes, 0 once the store closed
     */
    public long bytes() {
      return store.isClosed() ? 0 : store.getFileStore().size();
    }

    /**
     * The share of the file that live data holds: the part chunks take, times the part of
     * their data still referenced (H2 counts chunks younger than its retention as live).
     *
     * @return 0 to 1, 0 once the store closed
     */
    public double liveRatio() {
      if (store.isClosed()) {
        return 0;
      }
      return store.getFileStore().getFillRate() / 100.0
          * store.getFileStore().getChunksFillRate() / 100.0;
    }
  }

  @Override
  public void close() {
    announcements.close();
    groupCommit.close();
    durability.close();
    pool.close();
  }

  private static void rollback(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      LOG.atDebug().setCause(e).log("rollback failed");
    }
  }

  private static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        return (SQLException) t;
      }
    }
    return null;
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5 * attempt + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
  }
}
