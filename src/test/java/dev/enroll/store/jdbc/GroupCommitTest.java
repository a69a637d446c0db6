package dev.enroll.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.enroll.audit.AuditEvent;
import dev.enroll.problem.EnrollException;
import dev.enroll.problem.ProblemType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {
  @TempDir Path directory;

  @Test
  void workThatThrowsChangesNothingWhileItsBatchMatesCommit() throws Exception {
    try (JdbcStore store = JdbcStore.embedded(directory, 4)) {
      ExecutorService pool = Executors.newFixedThreadPool(40);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        results.add(pool.submit(() -> {
          start.await();
          try {
            return store.transactGrouped(tx -> {
              tx.audit().append(new AuditEvent(Instant.now(), "t", "test", "test.work",
                  "work:" + n, AuditEvent.SUCCESS, null, null, Map.of()));
              if (n % 2 == 1) {
                throw new EnrollException(ProblemType.TOKEN_USED_UP, "odd");
              }
              return "ok";
            });
          } catch (EnrollException e) {
            return e.type().slug();
          }
        }));
      }
      start.countDown();
      List<String> answers = new ArrayList<>();
      for (Future<String> f : results) {
        answers.add(f.get(60, TimeUnit.SECONDS));
      }
      pool.shutdown();

      assertThat(answers.stream().filter("ok"::equals)).hasSize(100);
      assertThat(answers.stream().filter("token-used-up"::equals)).hasSize(100);
      try (Connection c = store.dataSource().getConnection();
          ResultSet rs = c.createStatement().executeQuery(
              "select count(*), sum(cast(substring(target, 6) as int) % 2)"
                  + " from audit_event where action = 'test.work'")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(100);
        assertThat(rs.getLong(2)).as("no odd work's event survived").isZero();
      }
    }
  }
}
