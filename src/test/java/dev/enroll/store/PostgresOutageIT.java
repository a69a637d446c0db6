package dev.enroll.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.enroll.testing.Csrs;
import dev.enroll.testing.Postgres;
import dev.enroll.testing.TestServer;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL goes away and comes back (the real server, stopped as a crash stops it):
 * requests fail quickly with a 503 problem, readiness follows, the service recovers by
 * itself, and nothing committed is lost or left without its audit event.
 */
class PostgresOutageIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path directory;

  @Test
  void aStoppedDatabaseAnswers503UnreadyAndTheServiceRecoversWhenItReturns()
      throws Exception {
    try (TestServer server = TestServer.startOnPostgres(directory)) {
      String token = server.token("devices");
      Postgres.pause();
      long asked = System.nanoTime();
      HttpResponse<String> refused;
      try {
        refused = server.enroll(TestServer.enrollment("devices", "outage-1",
            token, Csrs.p256("outage-1")));
      } finally {
        System.out.println("answer while the database is down after "
            + (System.nanoTime() - asked) / 1_000_000 + " ms");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
            assertThat(server.getPlain("/readyz").statusCode()).isEqualTo(503));
        Postgres.resume();
      }
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      assertThat(TestServer.json(refused).get("type").asText())
          .isEqualTo("urn:enroll:problem:unavailable");
      assertThat(refused.body()).doesNotContain("postgresql").doesNotContain("jdbc");

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(server.getPlain("/readyz").statusCode()).isEqualTo(200));
      HttpResponse<String> recovered = server.enroll(TestServer.enrollment("devices",
          "outage-1", token, Csrs.p256("outage-1")));
      assertThat(recovered.statusCode()).as(recovered.body()).isEqualTo(201);
    }
  }

  @Test
  void stoppingTheDatabaseUnderLoadLosesNoAnsweredEnrollment() throws Exception {
    try (TestServer server = TestServer.startOnPostgres(directory)) {
      String token = server.token("default", "devices", 5000);
      Set<String> answered = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        int n = c;
        clients.add(pool.submit(() -> {
          for (int i = 0; i < 2000 && !stop.get(); i++) {
            String id = "load-" + n + "-" + i;
            try {
              HttpResponse<String> r = server.enroll(TestServer.enrollment("devices", id,
                  token, Csrs.p256(id)));
              if (r.statusCode() == 201) {
                answered.add(JSON.readTree(r.body()).at("/credentials/0/serial").asText());
              }
            } catch (UncheckedIOException | IllegalStateException e) {
              // A request cut by the outage: not answered, so nothing is owed.
            }
          }
          return null;
        }));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> answered.size() >= 30);
      Postgres.pause();
      try {
        Thread.sleep(2000);
      } finally {
        Postgres.resume();
      }
      int before = answered.size();
      await().atMost(Duration.ofSeconds(60)).until(() -> answered.size() > before + 10);
      stop.set(true);
      for (Future<?> f : clients) {
        f.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();

      for (String serial : answered) {
        assertThat(server.scalar("select count(*) from credential where serial = '" + serial
            + "'")).as("credential %s answered 201", serial).isEqualTo(1);
      }
      assertThat(server.scalar("select count(*) from credential c where not exists (select 1"
          + " from audit_event a where a.action = 'enrollment.issued' and a.target ="
          + " concat('credential:', c.serial))")).isZero();
    }
  }
}
