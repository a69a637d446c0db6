package dev.enroll.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.enroll.testing.Openssl;
import dev.enroll.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signer goes down (its fault switch, as an HSM or KMS outage would): enrollments are
 * accepted into the durable queue and answered 202, the breaker opens, and when the signer
 * returns the queue completes; a retry with the same key collects the certificate.
 */
class SignerOutageIT {
  @TempDir Path directory;

  @Test
  void enrollmentsWaitInTheQueueWhileTheSignerIsDownAndCompleteWhenItReturns()
      throws Exception {
    Path fault = directory.resolve("signer-down");
    try (TestServer server = TestServer.startWithEnvironment(directory,
        Map.of("ENROLL_SIGNER_FAULT_FILE", fault.toString()))) {
      Files.writeString(directory.resolve("roots.pem"), server.rootsPem());
      Files.writeString(directory.resolve("issuing.pem"),
          server.getPlain("/ca/chain.pem").body());
      String token = server.token("default", "devices", 5);
      Files.createFile(fault);

      String body = TestServer.enrollment("devices", "queued-1", token,
          Openssl.p256(directory, "queued-1", "/CN=queued-1", null));
      HttpResponse<String> accepted = server.enroll(body, "Idempotency-Key", "queued-1-key");
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      assertThat(accepted.headers().firstValue("Retry-After")).hasValue("10");
      String location = accepted.headers().firstValue("Location").orElseThrow();
      JsonNode pending = TestServer.json(accepted);
      assertThat(pending.get("status").asText()).isEqualTo("pending");
      assertThat(pending.get("credentials")).isEmpty();
      for (int i = 2; i <= 4; i++) {
        assertThat(server.enroll(TestServer.enrollment("devices", "queued-" + i, token,
            Openssl.p256(directory, "queued-" + i, "/CN=queued-" + i, null))).statusCode())
            .isEqualTo(202);
      }
      assertThat(TestServer.json(server.getAdmin(location)).get("status").asText())
          .isEqualTo("pending");
      assertThat(server.scalar("select count(*) from credential")).isZero();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(server.getPlain("/metrics").body())
              .contains("enroll_queue_depth{queue=\"issuance\"} 4.0")
              .contains("enroll_signer_breaker_state{state=\"open\"} 1.0"));
      HttpResponse<String> retried = server.enroll(body, "Idempotency-Key", "queued-1-key");
      assertThat(retried.statusCode()).isEqualTo(202);
      assertThat(TestServer.json(retried).get("id").asText()).isEqualTo(pending.get("id")
          .asText());

      Files.delete(fault);

      await().atMost(Duration.ofSeconds(30)).until(() ->
          server.scalar("select count(*) from credential") == 4);
      HttpResponse<String> collected = server.enroll(body, "Idempotency-Key", "queued-1-key");
      assertThat(collected.statusCode()).as(collected.body()).isEqualTo(201);
      JsonNode done = TestServer.json(collected);
      assertThat(done.get("id").asText()).isEqualTo(pending.get("id").asText());
      Files.writeString(directory.resolve("queued-1.pem"),
          done.at("/credentials/0/certificate").asText());
      assertThat(Openssl.run(directory, "verify", "-CAfile", "roots.pem", "-untrusted",
          "issuing.pem", "queued-1.pem").output()).contains("queued-1.pem: OK");
      assertThat(TestServer.json(server.getAdmin(location)).get("status").asText())
          .isEqualTo("completed");
      assertThat(server.scalar("select count(*) from issuance_queue")).isZero();
      assertThat(server.scalar("select count(*) from audit_event where action ="
          + " 'enrollment.queued'")).isEqualTo(4);
      assertThat(server.scalar("select count(*) from audit_event where action ="
          + " 'enrollment.issued'")).isEqualTo(4);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(server.getPlain("/metrics").body())
              .contains("enroll_queue_depth{queue=\"issuance\"} 0.0")
              .contains("enroll_signer_breaker_state{state=\"closed\"} 1.0"));
    }
  }
}
