package dev.enroll.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {
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
  void postgresIsLeftToItsOwnCommit() throws Exception {
    Durability durability = new Durability("jdbc:postgresql://127.0.0.1/enroll");

    assertThat(durability.changed(null)).isTrue();
    durability.committed(null, true);
  }
}
