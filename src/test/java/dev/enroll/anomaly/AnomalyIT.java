package dev.enroll.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.enroll.testing.Csrs;
import dev.enroll.testing.MutableClock;
import dev.enroll.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Surges against a running server with a fake clock: steady traffic is learned, a burst is
 * flagged (audited, counted, listed), the profile's action applies to the burst's
 * enrollments, and an admin's clear ends it.
 */
class AnomalyIT {
  @TempDir static Path directory;
  static MutableClock clock = new MutableClock();
  static TestServer server;
  static final AtomicInteger DEVICES = new AtomicInteger();

  @BeforeAll
  static void start() {
    String watched = String.join("\n",
        "        subjectKinds: [device]",
        "        attestation: [token]",
        "        names: {commonName: ['{externalId}']}");
    server = TestServer.start(directory, clock, String.join("\n",
        "  watch:",
        "    profiles:",
        "      held:",
        watched,
        "        anomaly: {action: quarantine, minCount: 6, learningBuckets: 3}",
        "      gated:",
        watched,
        "        anomaly: {action: approval, minCount: 6, learningBuckets: 3}",
        ""));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> enroll(String profile, String token) {
    String id = profile + "-" + DEVICES.incrementAndGet();
    return server.enroll(TestServer.enrollment(profile, id, token, Csrs.p256(id))
        .replace("{\"profile\"", "{\"tenant\":\"watch\",\"profile\""));
  }

  /** Two enrollments a minute for five minutes: the normal rate. */
  private static void steady(String profile, String token) {
    for (int minute = 0; minute < 5; minute++) {
      for (int i = 0; i < 2; i++) {
        assertThat(enroll(profile, token).statusCode()).isEqualTo(201);
      }
      clock.advance(Duration.ofMinutes(1));
    }
  }

  @Test
  void burstIsFlaggedItsEnrollmentsQuarantinedUntilAnAdminClearsIt() {
    String token = server.token("watch", "held", 100);
    steady("held", token);

    JsonNode flagged = null;
    for (int i = 0; i < 20 && flagged == null; i++) {
      JsonNode body = TestServer.json(enroll("held", token));
      if ("quarantined".equals(body.at("/subject/state").asText())) {
        flagged = body;
      }
    }

    assertThat(flagged).as("a burst of 20 in a minute after 2 a minute").isNotNull();
    assertThat(flagged.at("/credentials/0/certificate").asText()).startsWith("-----BEGIN");
    assertThat(server.auditText()).contains("anomaly.detected")
        .contains("\"network\":\"127.0.0.0/24\"");
    JsonNode active = TestServer.json(server.getAdmin("/v1/anomalies"));
    JsonNode anomaly = null;
    for (JsonNode each : active.get("anomalies")) {
      if (each.get("profile").asText().equals("held")) {
        anomaly = each;
      }
    }
    assertThat(anomaly).as(active.toString()).isNotNull();
    assertThat(anomaly.get("action").asText()).isEqualTo("quarantine");
    assertThat(server.getPlain("/metrics").body()).containsPattern(
        "enroll_anomalies_total\\{action=\"quarantine\",profile=\"held\",tenant=\"watch\"} 1");

    HttpResponse<String> cleared = server.postAdmin("/v1/anomalies/"
        + anomaly.get("id").asText() + "/clear", "");
    assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(1));
    JsonNode after = TestServer.json(enroll("held", token));
    assertThat(after.at("/subject/state").asText()).isEqualTo("active");
    assertThat(server.auditText()).contains("anomaly.cleared");
    HttpResponse<String> twice = server.postAdmin("/v1/anomalies/"
        + anomaly.get("id").asText() + "/clear", "");
    assertThat(TestServer.json(twice).get("type").asText())
        .isEqualTo("urn:enroll:problem:anomaly-not-active");
  }

  @Test
  void burstOnAnApprovalProfileSendsItsEnrollmentsToAPerson() {
    String token = server.token("watch", "gated", 100);
    steady("gated", token);

    int waiting = 0;
    for (int i = 0; i < 20; i++) {
      if (enroll("gated", token).statusCode() == 202) {
        waiting++;
      }
    }

    assertThat(waiting).as("enrollments of the burst that wait for approval")
        .isGreaterThan(0);
    assertThat(TestServer.json(server.getAdmin("/v1/approvals?tenant=watch"))
        .get("approvals").size()).isEqualTo(waiting);
  }
}
