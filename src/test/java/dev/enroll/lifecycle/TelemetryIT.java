package dev.enroll.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.enroll.testing.MutableClock;
import dev.enroll.testing.Openssl;
import dev.enroll.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry binding: the enrollment names the attributes a device puts on its telemetry; a
 * device that never reports (over its own certificate, with the real curl) is listed as
 * silent once its profile's allowance passes, and counted.
 */
class TelemetryIT {
  @TempDir Path directory;

  private Openssl.Outcome heartbeat(TestServer server, String name) {
    return Openssl.exec(directory, List.of("curl", "-s", "-o", "/dev/null", "-w",
        "%{http_code}", "--cacert", "roots.pem", "--cert", name + ".pem", "--key",
        name + ".key", "-X", "POST", server.api("/v1/heartbeat").toString()));
  }

  private static JsonNode silent(TestServer server) {
    return TestServer.json(server.getAdmin("/v1/subjects?telemetry=missing")).get("items");
  }

  @Test
  void aSubjectThatNeverReportsIsListedAsSilentAndOneThatReportsIsNot() throws Exception {
    MutableClock clock = new MutableClock();
    try (TestServer server = TestServer.start(directory, clock)) {
      Files.writeString(directory.resolve("roots.pem"), server.rootsPem());
      JsonNode quiet = null;
      for (String name : List.of("talker", "quiet")) {
        String csr = Openssl.p256(directory, name, "/CN=" + name, null);
        JsonNode body = TestServer.json(server.enroll(TestServer.enrollment("devices", name,
            server.token("devices"), csr)));
        Files.writeString(directory.resolve(name + ".pem"),
            body.at("/credentials/0/certificate").asText());
        assertThat(body.at("/telemetry/resourceAttributes/enroll.subject.id").asText())
            .isEqualTo(body.at("/subject/id").asText());
        assertThat(body.at("/telemetry/resourceAttributes/enroll.profile").asText())
            .isEqualTo("devices");
        assertThat(body.at("/telemetry/heartbeat").asText()).isEqualTo("/v1/heartbeat");
        quiet = body;
      }
      assertThat(silent(server)).isEmpty();

      assertThat(heartbeat(server, "talker").output()).isEqualTo("204");
      clock.advance(Duration.ofMinutes(50));
      assertThat(heartbeat(server, "talker").output()).isEqualTo("204");
      clock.advance(Duration.ofMinutes(20));

      JsonNode listed = silent(server);
      assertThat(listed.findValuesAsText("externalId")).containsExactly("quiet");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(server.getPlain("/metrics").body())
              .contains("enroll_subjects_telemetry_bound{tenant=\"default\"} 1.0")
              .contains("enroll_subjects{state=\"active\",tenant=\"default\"} 2.0"));

      // A revoked certificate reports nothing; neither does a client without one.
      server.postAdmin("/v1/credentials/" + quiet.at("/credentials/0/serial").asText()
          + "/revoke", "{}");
      assertThat(heartbeat(server, "quiet").output()).isEqualTo("403");
      assertThat(Openssl.exec(directory, List.of("curl", "-s", "-o", "/dev/null", "-w",
          "%{http_code}", "--cacert", "roots.pem", "-X", "POST",
          server.api("/v1/heartbeat").toString())).output()).isEqualTo("401");
      assertThat(server.getAdmin("/v1/subjects?telemetry=late").statusCode()).isEqualTo(400);
    }
  }
}
