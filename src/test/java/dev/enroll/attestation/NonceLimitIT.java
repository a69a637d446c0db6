package dev.enroll.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.enroll.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nonces cost a row each and anyone may ask, so they are given out within bounds. */
class NonceLimitIT {
  @TempDir Path directory;

  @Test
  void unknownTenantGetsNoNonceAndOneAddressGetsABoundedNumber() {
    try (TestServer server = TestServer.start(directory)) {
      HttpResponse<String> unknown = server.post("/v1/nonces?tenant=nosuch", "");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(TestServer.json(unknown).get("type").asText())
          .isEqualTo("urn:enroll:problem:not-found");

      // Until the first refusal; a minute that turns meanwhile allows one more window.
      int given = 0;
      HttpResponse<String> last = null;
      for (int i = 0; i < 2 * Nonces.PER_SOURCE_PER_MINUTE + 5; i++) {
        last = server.post("/v1/nonces", "");
        if (last.statusCode() != 201) {
          break;
        }
        given++;
      }

      assertThat(given).isBetween(Nonces.PER_SOURCE_PER_MINUTE,
          2 * Nonces.PER_SOURCE_PER_MINUTE);
      assertThat(last.statusCode()).isEqualTo(429);
      assertThat(TestServer.json(last).get("type").asText())
          .isEqualTo("urn:enroll:problem:rate-limited");
      assertThat(last.headers().firstValue("Retry-After")).isPresent();
    }
  }
}
