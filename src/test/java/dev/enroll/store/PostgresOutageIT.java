package dev.enroll.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.enroll.store.jdbc.JdbcStore;
import dev.enroll.testing.Csrs;
import dev.enroll.testing.EnrollmentLoad;
import dev.enroll.testing.Postgres;
import dev.enroll.testing.TestServer;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.nio.file.Path;
import java.time.Duration;
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
      EnrollmentLoad load = EnrollmentLoad.start(4, 2000, "load", token, server::enroll);
      load.awaitAnswered(30);
      Postgres.pause();
      try {
        Thread.sleep(2000);
      } finally {
        Postgres.resume();
      }
      int before = load.answered().size();
      await().atMost(Duration.ofSeconds(60)).until(() -> load.answered().size() > before + 10);
      load.stop();

      try (Connection c = ((JdbcStore) server.server().store()).dataSource()
          .getConnection()) {
        load.assertStoredWithTheirEvents(c);
      }
    }
  }
}
