package dev.enroll.testing;

import dev.enroll.store.jdbc.JdbcStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server the tests use: the private cluster that {@code ./test} starts
 * ({@code .ci/postgres}) and names in {@code ENROLL_TEST_PG_*}. Without it a test fails,
 * telling how to get one; it never skips.
 */
public final class Postgres {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private Postgres() {}

  /** The server's JDBC URL for its test database. */
  public static String url() {
    String url = System.getenv("ENROLL_TEST_PG_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("no PostgreSQL for the tests: run ./test, which starts"
          + " one (.ci/postgres) and sets ENROLL_TEST_PG_URL, _USER and _PASSWORD");
    }
    return url;
  }

  /** The user. */
  public static String user() {
    return System.getenv("ENROLL_TEST_PG_USER");
  }

  /** The password. */
  public static String password() {
    return System.getenv("ENROLL_TEST_PG_PASSWORD");
  }

  /** Stops the server at once, as a crash would; {@link #resume()} starts it again. */
  public static void pause() {
    control("pause");
  }

  /** Starts the server again after {@link #pause()}. */
  public static void resume() {
    control("resume");
  }

  private static void control(String verb) {
    String data = System.getenv("ENROLL_TEST_PG_DATA");
    if (data == null) {
      throw new IllegalStateException("ENROLL_TEST_PG_DATA is not set: run ./test");
    }
    Openssl.Outcome outcome = Openssl.exec(java.nio.file.Path.of("."),
        java.util.List.of(".ci/postgres", verb, data));
    if (outcome.exitCode() != 0) {
      throw new IllegalStateException(".ci/postgres " + verb + " failed: " + outcome.output());
    }
  }

  /**
   * A new, empty database on the server, so that each test class starts clean.
   *
   * @param prefix a name for it
   * @return its JDBC URL
   */
  public static String freshDatabase(String prefix) {
    String name = (prefix + "_" + ProcessHandle.current().pid() + "_"
        + DATABASES.incrementAndGet()).toLowerCase(java.util.Locale.ROOT);
    try (Connection c = DriverManager.getConnection(url(), user(), password());
        Statement s = c.createStatement()) {
      s.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test database on " + url(), e);
    }
    return url().substring(0, url().lastIndexOf('/') + 1) + name;
  }

  /**
   * A store on a new database.
   *
   * @param prefix a name for the database
   * @param poolSize the pool size
   * @return the migrated store
   */
  public static JdbcStore freshStore(String prefix, int poolSize) {
    return JdbcStore.open(freshDatabase(prefix), user(), password(), poolSize);
  }
}
