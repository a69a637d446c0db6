package dev.enroll.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.enroll.testing.MutableClock;
import dev.enroll.testing.Openssl;
import dev.enroll.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background sweeps, on a server whose clock the test moves (every 200 ms here). */
class SweepIT {
  @TempDir Path directory;

  @Test
  void credentialsDueForRenewalAreCountedAndExpiredOnesMarked() throws Exception {
    MutableClock clock = new MutableClock();
    try (TestServer server = TestServer.start(directory, clock)) {
      String csr = Openssl.p256(directory, "sweep-1", "/CN=sweep-1", null);
      JsonNode body = TestServer.json(server.enroll(TestServer.enrollment("devices",
          "sweep-1", server.token("devices"), csr)));
      String serial = body.at("/credentials/0/serial").asText();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(server.getPlain("/metrics").body()).contains(
              "enroll_credentials_due_for_renewal{profile=\"devices\",tenant=\"default\"} 0.0"));

      clock.advance(Duration.ofHours(13));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(server.getPlain("/metrics").body()).contains(
              "enroll_credentials_due_for_renewal{profile=\"devices\",tenant=\"default\"} 1.0"));
      assertThat(server.scalarText("select status from credential where serial = '"
          + serial + "'")).isEqualTo("active");

      clock.advance(Duration.ofHours(12));
      await().atMost(Duration.ofSeconds(10)).until(() -> "expired".equals(server.scalarText(
          "select status from credential where serial = '" + serial + "'")));
      assertThat(server.scalar("select count(*) from audit_event where action ="
          + " 'credential.expired' and target = 'credential:" + serial + "'")).isEqualTo(1);
      assertThat(TestServer.json(server.getAdmin("/v1/subjects/" + body.at("/subject/id")
          .asText())).at("/credentials/0/status").asText()).isEqualTo("expired");
      assertThat(server.getPlain("/metrics").body())
          .containsPattern("enroll_credentials_expired_total [1-9]");
    }
  }

  @Test
  void offboardedSubjectsLoseTheirAttributesAfterTheRetentionAndKeepTheirAuditTrail()
      throws Exception {
    MutableClock clock = new MutableClock();
    try (TestServer server = TestServer.start(directory, clock)) {
      String csr = Openssl.p256(directory, "leaver", "/CN=leaver", null);
      String enrollment = "{\"profile\":\"devices\",\"subject\":{\"kind\":\"device\","
          + "\"externalId\":\"leaver\",\"attributes\":{\"owner\":\"Ada Lovelace\"}},"
          + "\"attestation\":{\"type\":\"token\",\"token\":\"" + server.token("devices")
          + "\"},\"csr\":" + new com.fasterxml.jackson.databind.ObjectMapper()
              .writeValueAsString(csr) + "}";
      String subject = TestServer.json(server.enroll(enrollment)).at("/subject/id").asText();
      server.postAdmin("/v1/subjects/" + subject + "/offboard", "");

      clock.advance(Duration.ofMinutes(30));
      Thread.sleep(600);
      assertThat(server.scalarText("select attributes from subject where id = '" + subject
          + "'")).contains("Ada Lovelace");

      clock.advance(Duration.ofMinutes(31));
      await().atMost(Duration.ofSeconds(10)).until(() -> server.scalarText(
          "select purged_at from subject where id = '" + subject + "'") != null);
      assertThat(server.scalarText("select attributes from subject where id = '" + subject
          + "'")).isEqualTo("{}");
      assertThat(server.scalar("select count(*) from audit_event where target = 'subject:"
          + subject + "' and action in ('subject.offboard', 'subject.purged')")).isEqualTo(2);
      assertThat(server.auditText()).doesNotContain("Ada Lovelace");
    }
  }
}
