package dev.enroll.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.enroll.testing.Csrs;
import dev.enroll.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/slo} reports what the server answered, per profile. */
class SloIT {
  @TempDir Path directory;

  @Test
  void reportCountsTheProfilesEnrollmentsAndItsBudget() {
    try (TestServer server = TestServer.start(directory)) {
      for (int i = 0; i < 3; i++) {
        String id = "slo-" + i;
        assertThat(server.enroll(TestServer.enrollment("devices", id, server.token("devices"),
            Csrs.p256(id))).statusCode()).isEqualTo(201);
      }
      server.enroll(TestServer.enrollment("devices", "slo-x", "ejt_wrong",
          Csrs.p256("slo-x")));

      HttpResponse<String> response = server.getAdmin("/v1/slo");

      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode report = TestServer.json(response);
      assertThat(report.get("successTarget").asDouble()).isEqualTo(0.999);
      JsonNode devices = report.get("profiles").get(0);
      assertThat(devices.get("profile").asText()).isEqualTo("devices");
      assertThat(devices.get("succeeded").asLong()).isEqualTo(3);
      assertThat(devices.get("refused").asLong()).isEqualTo(1);
      assertThat(devices.get("successRate").asDouble()).isEqualTo(1.0);
      assertThat(devices.get("errorBudgetRemaining").asDouble()).isEqualTo(1.0);
      assertThat(devices.get("p95Seconds").asDouble()).isPositive();
      assertThat(server.send(java.net.http.HttpRequest.newBuilder(server.api("/v1/slo"))
          .GET().build()).statusCode()).as("admins only").isEqualTo(401);
    }
  }
}
