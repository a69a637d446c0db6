package dev.enroll.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.enroll.audit.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStoreTest {
  @TempDir Path directory;

  @Test
  void aGroupedCommitIsInTheFileWhenItReturns() throws Exception {
    try (JdbcStore store = JdbcStore.embedded(directory.resolve("live"), 4)) {
      store.transactGrouped(tx -> {
        tx.audit().append(new AuditEvent(Instant.now(), "t", "test", "test.durable",
            "work:1", AuditEvent.SUCCESS, null, null, Map.of()));
        return null;
      });

      // What a crash would leave: the file as it is now, opened by another database.
      Path copy = directory.resolve("copy");
      Files.createDirectories(copy.resolve("db"));
      Files.copy(directory.resolve("live/db/enroll.mv.db"), copy.resolve("db/enroll.mv.db"));
      try (Connection c = DriverManager.getConnection(JdbcStore.embeddedUrl(copy));
          ResultSet rs = c.createStatement().executeQuery(
              "select count(*) from audit_event where action = 'test.durable'")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void theDatabaseKeepsItsBackgroundHousekeeping() throws Exception {
    // Without H2's background writer nothing rewrites the chunks that a few live pages keep
    // alive, and the file grows by tens of kilobytes for every enrollment.
    try (JdbcStore store = JdbcStore.embedded(directory, 2);
        Connection c = store.dataSource().getConnection()) {
      SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
      MVStore mvStore = session.getDatabase().getStore().getMvStore();

      assertThat(mvStore.getAutoCommitDelay()).isPositive();
      assertThat(mvStore.getRetentionTime()).as("dead chunks free again after 5 s")
          .isEqualTo(Durability.RETENTION_MILLIS);
      assertThat(Thread.getAllStackTraces().keySet())
          .anyMatch(t -> t.getName().startsWith("MVStore background writer") && t.isAlive());
    }
  }
}
