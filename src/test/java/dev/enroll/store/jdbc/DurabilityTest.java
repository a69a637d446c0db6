package dev.enroll.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {
  @TempDir Path directory;

  @Test
  void selectsLeaveATransactionReadOnlyAndWritesMarkIt() throws Exception {
    String url = "jdbc:h2:file:" + directory.resolve("t");
    Durability durability = new Durability(url);
    try (Connection raw = DriverManager.getConnection(url)) {
      raw.createStatement().execute("create table t (id int primary key)");
      AtomicBoolean wrote = new AtomicBoolean();
      Connection tracked = durability.tracking(raw, wrote);

      try (PreparedStatement read = tracked.prepareStatement("  select count(*) from t")) {
        read.executeQuery().close();
      }
      assertThat(wrote).isFalse();
      try (PreparedStatement lock = tracked.prepareStatement(
          "select id from t where id = 1 for update")) {
        lock.executeQuery().close();
      }
      assertThat(wrote).as("a locking read").isTrue();

      AtomicBoolean inserted = new AtomicBoolean();
      try (PreparedStatement insert = durability.tracking(raw, inserted)
          .prepareStatement("insert into t values (1)")) {
        insert.executeUpdate();
      }
      assertThat(inserted).isTrue();
      durability.committed(raw, true);
    }
  }

  @Test
  void postgresIsLeftToItsOwnCommit() {
    Durability durability = new Durability("jdbc:postgresql://127.0.0.1/enroll");
    AtomicBoolean wrote = new AtomicBoolean();

    assertThat(durability.tracking(null, wrote)).isNull();
  }
}
