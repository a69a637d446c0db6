package dev.enroll.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.enroll.store.jdbc.JdbcStore;
import dev.enroll.testing.Openssl;
import dev.enroll.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fault inside the server: a 500 problem that tells nothing of the internals. */
class ServerFaultIT {
  @Test
  void storeFaultIsA500ProblemWithoutInternalsAndIsAudited(@TempDir Path directory)
      throws Exception {
    try (TestServer server = TestServer.start(directory)) {
      String token = server.token("devices");
      String csr = Openssl.p256(directory, "k", "/CN=sensor-1", null);
      JdbcStore store = (JdbcStore) server.server().store();
      try (Connection c = store.dataSource().getConnection()) {
        c.createStatement().execute("alter table credential rename to credential_gone");
        c.commit();
      }

      HttpResponse<String> response =
          server.enroll(TestServer.enrollment("devices", "sensor-1", token, csr));

      assertThat(response.statusCode()).isEqualTo(500);
      JsonNode problem = TestServer.json(response);
      assertThat(problem.get("type").asText()).isEqualTo("urn:enroll:problem:server-error");
      assertThat(response.body().toLowerCase()).doesNotContain("credential")
          .doesNotContain("sql").doesNotContain("h2").doesNotContain("exception")
          .doesNotContain("at dev.");
      assertThat(server.lastAuditEvent()).isEqualTo("enrollment.refused/failed/server-error");
      assertThat(server.scalar("select count(*) from subject")).isZero();
      assertThat(server.scalar("select uses_left from join_token")).isEqualTo(1);
    }
  }
}
