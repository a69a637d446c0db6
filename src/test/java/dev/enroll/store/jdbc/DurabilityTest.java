package dev.enroll.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {
  // A write delay far longer than the test: H2's own writer never stores a chunk, so what
  // the file holds is what the sync wrote.
  private static final String NO_BACKGROUND_WRITES = ";WRITE_DELAY=600000";

  @TempDir Path directory;

  @Test
  void onlyATransactionThatChangedRowsNeedsASync() throws Exception {
    String url = "jdbc:h2:file:" + directory.resolve("t");
    Durability durability = new Durability(url);
    try (Connection connection = DriverManager.getConnection(url)) {
      connection.createStatement().execute("create table t (id int primary key)");
      connection.setAutoCommit(false);

      connection.prepareStatement("  select count(*) from t").executeQuery().close();
      connection.prepareStatement("select id from t where id = 1 for update")
          .executeQuery().close();
      assertThat(durability.changed(connection)).as("reads, one locking").isFalse();
      connection.commit();

      connection.prepareStatement("insert into t values (1)").executeUpdate();
      assertThat(durability.changed(connection)).isTrue();
      connection.commit();
      durability.committed(connection, true);
      assertThat(durability.changed(connection)).as("after the commit").isFalse();

      connection.prepareStatement("update t set id = 2 where id = 3").executeUpdate();
      assertThat(durability.changed(connection)).as("an update that matched nothing")
          .isFalse();
    }
  }

  @Test
  void aCommitIsInTheFileOnceItsSyncReturns() throws Exception {
    String url = quietDatabase("d");
    Durability durability = new Durability(url);
    try (Connection connection = withTable(url)) {
      commitInsert(connection, 7);
      durability.committed(connection, true);

      assertThat(rowsInACopyOf(directory.resolve("d.mv.db"))).isEqualTo(1);
    }
  }

  @Test
  void withoutTheSyncACommitIsNotYetInTheFile() throws Exception {
    // The control for the test above: under the same settings a commit alone stays in
    // memory, so the copy there shows what the sync wrote.
    String url = quietDatabase("n");
    Durability durability = new Durability(url);
    try (Connection connection = withTable(url)) {
      commitInsert(connection, 1);
      durability.committed(connection, true);

      commitInsert(connection, 7);

      assertThat(rowsInACopyOf(directory.resolve("n.mv.db"))).as("only the synced row")
          .isEqualTo(1);
    }
  }

  @Test
  void postgresIsLeftToItsOwnCommit() throws Exception {
    Durability durability = new Durability("jdbc:postgresql://127.0.0.1/enroll");

    assertThat(durability.changed(null)).isTrue();
    durability.committed(null, true);
  }

  /** A database that only a sync writes to its file, during the test. */
  private String quietDatabase(String name) {
    return "jdbc:h2:file:" + directory.resolve(name) + NO_BACKGROUND_WRITES;
  }

  private static Connection withTable(String url) throws Exception {
    Connection connection = DriverManager.getConnection(url);
    connection.createStatement().execute("create table t (id int primary key)");
    connection.setAutoCommit(false);
    return connection;
  }

  private static void commitInsert(Connection connection, int id) throws Exception {
    connection.prepareStatement("insert into t values (" + id + ")").executeUpdate();
    connection.commit();
  }

  /** What a crash would leave: the file as it is now, opened by another database. */
  private int rowsInACopyOf(Path file) throws Exception {
    Path copy = Files.createTempDirectory(directory, "copy").resolve("c.mv.db");
    Files.copy(file, copy);
    String url = "jdbc:h2:file:" + copy.getParent().resolve("c");
    try (Connection connection = DriverManager.getConnection(url);
        ResultSet rs = connection.createStatement().executeQuery("select count(*) from t")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
