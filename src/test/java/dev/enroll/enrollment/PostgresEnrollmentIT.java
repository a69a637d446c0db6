package dev.enroll.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.enroll.testing.Openssl;
import dev.enroll.testing.Postgres;
import dev.enroll.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enroll on a real PostgreSQL: the whole way, with the real openssl as device and relier. */
class PostgresEnrollmentIT {
  @TempDir Path directory;

  @Test
  void deviceEnrollsIsRevokedAndTheRecordsOutliveARestart() throws Exception {
    String url = Postgres.freshDatabase("e2e");
    String serial;
    try (TestServer server = TestServer.startOnPostgres(directory, url)) {
      Files.writeString(directory.resolve("roots.pem"), server.rootsPem());
      Files.writeString(directory.resolve("issuing.pem"),
          server.getPlain("/ca/chain.pem").body());
      String csr = Openssl.p256(directory, "pg-1", "/CN=pg-1",
          "DNS:pg-1.devices.example.internal");

      HttpResponse<String> response = server.enroll(TestServer.enrollment("devices", "pg-1",
          server.token("devices"), csr));

      assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
      JsonNode body = TestServer.json(response);
      serial = body.at("/credentials/0/serial").asText();
      Files.writeString(directory.resolve("pg-1.pem"),
          body.at("/credentials/0/certificate").asText());
      assertThat(Openssl.run(directory, "verify", "-CAfile", "roots.pem", "-untrusted",
          "issuing.pem", "pg-1.pem").output()).contains("pg-1.pem: OK");

      HttpResponse<String> revoked = server.postAdmin("/v1/credentials/" + serial + "/revoke",
          "{\"reason\":\"keyCompromise\"}");
      assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
      assertThat(Openssl.run(directory, "ocsp", "-issuer", "issuing.pem", "-cert",
          "pg-1.pem", "-url", server.plain("/ocsp").toString(), "-CAfile", "roots.pem")
          .output()).contains("Response verify OK").contains("pg-1.pem: revoked");
      assertThat(server.scalar("select count(*) from audit_event where action in"
          + " ('enrollment.issued', 'credential.revoked')")).isEqualTo(2);
    }

    try (TestServer again = TestServer.startOnPostgres(directory, url)) {
      assertThat(again.scalarText("select status from credential where serial = '" + serial
          + "'")).isEqualTo("revoked");
    }
  }
}
