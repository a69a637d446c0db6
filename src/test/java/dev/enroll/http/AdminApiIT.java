package dev.enroll.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.enroll.testing.Openssl;
import dev.enroll.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API: tokens, subjects, and who may call it. */
class AdminApiIT {
  @TempDir static Path directory;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(directory);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void tokenIsShownOnceAndStoredOnlyAsItsHash() {
    long events = server.scalar("select count(*) from audit_event where action = "
        + "'token.created'");

    HttpResponse<String> response = server.postAdmin("/v1/tokens",
        "{\"profile\":\"devices\",\"uses\":3,\"ttl\":\"2h\"}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode token = TestServer.json(response);
    assertThat(token.get("id").asText()).isNotBlank();
    assertThat(token.get("token").asText()).startsWith("ejt_").hasSizeGreaterThan(40);
    assertThat(token.get("profile").asText()).isEqualTo("devices");
    assertThat(token.get("uses").asInt()).isEqualTo(3);
    assertThat(token.get("expiresAt").asText()).isNotBlank();
    String secret = token.get("token").asText();
    assertThat(server.scalar("select count(*) from join_token where secret_hash = '"
        + secret + "'")).isZero();
    assertThat(server.auditText()).doesNotContain(secret);
    assertThat(server.scalar("select count(*) from audit_event where action = "
        + "'token.created'")).isEqualTo(events + 1);
  }

  @Test
  void adminKeyIsStoredOnlyAsItsHash() {
    assertThat(server.scalar("select count(*) from admin_key where secret_hash = '"
        + server.adminKey() + "'")).isZero();
    assertThat(server.scalar("select count(*) from admin_key")).isEqualTo(1);
  }

  @Test
  void missingAndWrongAdminKeysGetTheSame401() {
    long tokens = server.scalar("select count(*) from join_token");
    String body = "{\"profile\":\"devices\"}";

    HttpResponse<String> missing = server.post("/v1/tokens", body);
    HttpResponse<String> wrong = server.post("/v1/tokens", body,
        "Authorization", "Bearer eak_wrong");
    HttpResponse<String> malformed = server.post("/v1/tokens", body,
        "Authorization", "Basic YWRtaW46YWRtaW4=");

    for (HttpResponse<String> r : new HttpResponse[] {missing, wrong, malformed}) {
      assertThat(r.statusCode()).isEqualTo(401);
      JsonNode problem = TestServer.json(r);
      assertThat(problem.get("type").asText()).isEqualTo("urn:enroll:problem:unauthorized");
      assertThat(problem.get("detail").asText())
          .isEqualTo(TestServer.json(missing).get("detail").asText());
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }
    assertThat(server.scalar("select count(*) from join_token")).isEqualTo(tokens);
    assertThat(server.lastAuditEvent())
        .isEqualTo("admin.authentication-failed/refused/unauthorized");
  }

  @Test
  void subjectsAreReadableByIdAndListedByKindAndState() {
    String csr = Openssl.p256(directory, "s", "/CN=sensor-listed", null);
    JsonNode enrolled = TestServer.json(server.enroll(TestServer.enrollment("devices",
        "sensor-listed", server.token("devices"), csr)));
    String id = enrolled.at("/subject/id").asText();

    HttpResponse<String> one = server.getAdmin("/v1/subjects/" + id);
    assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
    JsonNode subject = TestServer.json(one);
    assertThat(subject.get("externalId").asText()).isEqualTo("sensor-listed");
    assertThat(subject.at("/credentials/0/serial").asText())
        .isEqualTo(enrolled.at("/credentials/0/serial").asText());

    JsonNode active = TestServer.json(server.getAdmin("/v1/subjects?kind=device&state=active"));
    assertThat(active.get("items").findValuesAsText("id")).contains(id);
    JsonNode revoked = TestServer.json(server.getAdmin("/v1/subjects?state=revoked"));
    assertThat(revoked.get("items")).isEmpty();

    assertThat(server.getAdmin("/v1/subjects/no-such-id").statusCode()).isEqualTo(404);
    assertThat(server.getAdmin("/v1/subjects?state=sleepy").statusCode()).isEqualTo(400);
    assertThat(server.post("/v1/subjects", "{}").statusCode()).isIn(401, 405);
  }

  @Test
  void locationOfAnEnrollmentAnswersWithItsRecord() {
    String csr = Openssl.p256(directory, "loc", "/CN=sensor-located", null);
    HttpResponse<String> created = server.enroll(TestServer.enrollment("devices",
        "sensor-located", server.token("devices"), csr));
    String location = created.headers().firstValue("Location").orElseThrow();

    HttpResponse<String> response = server.getAdmin(location);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode enrollment = TestServer.json(response);
    assertThat(enrollment.get("id").asText()).isEqualTo(TestServer.json(created).get("id")
        .asText());
    assertThat(enrollment.get("status").asText()).isEqualTo("completed");
    assertThat(enrollment.get("method").asText()).isEqualTo("token");
    assertThat(enrollment.at("/subject/externalId").asText()).isEqualTo("sensor-located");
    assertThat(enrollment.get("credentials")).hasSize(1);
    assertThat(server.post(location, "{}").statusCode()).isEqualTo(405);
    assertThat(server.getAdmin("/v1/enrollments/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void subjectPagesEndWithoutANextCursor() {
    for (int i = 0; i < 3; i++) {
      String id = "sensor-page-" + i;
      server.enroll(TestServer.enrollment("devices", id, server.token("devices"),
          Openssl.p256(directory, "page" + i, "/CN=" + id, null)));
    }
    java.util.List<String> seen = new java.util.ArrayList<>();
    String after = "";
    for (int pages = 0; pages < 100; pages++) {
      JsonNode page = TestServer.json(server.getAdmin("/v1/subjects?limit=2" + after));
      page.get("items").forEach(item -> seen.add(item.get("id").asText()));
      if (!page.has("next")) {
        break;
      }
      assertThat(page.get("items")).hasSize(2);
      after = "&after=" + page.get("next").asText();
    }
    assertThat(seen).doesNotHaveDuplicates()
        .hasSize((int) server.scalar("select count(*) from subject"));
  }

  @Test
  void auditEventsCheckpointsAndKeyAreServedToOwners() throws Exception {
    String csr = Openssl.p256(directory, "aud", "/CN=sensor-audited", null);
    server.enroll(TestServer.enrollment("devices", "sensor-audited", server.token("devices"),
        csr));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
        server.getAdmin("/v1/audit?after=0&limit=10000").body().contains("sensor-audited"));

    HttpResponse<String> events = server.getAdmin("/v1/audit?after=1&limit=3");
    assertThat(events.statusCode()).isEqualTo(200);
    assertThat(events.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/x-ndjson");
    assertThat(events.body().lines()).hasSize(3).first().asString().startsWith("{")
        .contains("\"seq\":2").contains("\"hash\"");
    JsonNode checkpoints = TestServer.json(server.getAdmin("/v1/audit/checkpoints"));
    assertThat(checkpoints.get("items").size()).isPositive();
    assertThat(server.getAdmin("/v1/audit/keys").body()).startsWith("-----BEGIN PUBLIC KEY");
    assertThat(server.getAdmin("/v1/audit?limit=0").statusCode()).isEqualTo(400);
    assertThat(server.post("/v1/audit", "{}").statusCode()).isIn(401, 405);
    assertThat(server.scalar("select count(*) from audit_event where action ="
        + " 'audit.key-created'")).isEqualTo(1);
  }

  @Test
  void tokenForAnUnknownProfileIsRefused() {
    HttpResponse<String> response = server.postAdmin("/v1/tokens", "{\"profile\":\"nope\"}");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(TestServer.json(response).get("type").asText())
        .isEqualTo("urn:enroll:problem:profile-unknown");
  }

  @Test
  void metricsShowTheEmbeddedDatabaseFileAndTheShareLiveDataHolds() {
    String metrics = server.getPlain("/metrics").body();

    assertThat(metrics).containsPattern("(?m)^enroll_store_file_bytes [1-9][0-9.E]+$");
    Matcher live = Pattern.compile("(?m)^enroll_store_file_live_ratio ([0-9.E-]+)$")
        .matcher(metrics);
    assertThat(live.find()).as("the live ratio is exported").isTrue();
    assertThat(Double.parseDouble(live.group(1))).isStrictlyBetween(0.0, 1.0 + 1e-9);
  }

  @Test
  void plainPortServesRootsChainHealthAndMetrics() {
    assertThat(server.getPlain("/ca/roots.pem").body()).startsWith("-----BEGIN CERTIFICATE");
    assertThat(server.getPlain("/ca/chain.pem").body()).startsWith("-----BEGIN CERTIFICATE");
    assertThat(server.getPlain("/healthz").statusCode()).isEqualTo(200);
    assertThat(server.getPlain("/readyz").statusCode()).isEqualTo(200);
    assertThat(server.getPlain("/metrics").body()).contains("enroll_enrollments_total")
        .contains("enroll_enrollment_duration_seconds");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(
        () -> assertThat(server.getPlain("/metrics").body())
            .containsPattern("enroll_audit_events_total [1-9]")
            .contains("enroll_audit_unchained_events 0.0"));
    HttpResponse<String> missing = server.getPlain("/nothing-here");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(TestServer.json(missing).get("type").asText())
        .isEqualTo("urn:enroll:problem:not-found");
  }
}
