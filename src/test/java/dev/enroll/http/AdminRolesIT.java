package dev.enroll.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.enroll.testing.Csrs;
import dev.enroll.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each admin role can do what its permissions say and nothing more. */
class AdminRolesIT {
  @TempDir static Path directory;
  static TestServer server;
  static String serial;

  @BeforeAll
  static void start() {
    server = TestServer.start(directory);
    serial = TestServer.json(server.enroll(TestServer.enrollment("devices", "roles-1",
        server.token("devices"), Csrs.p256("roles-1")))).at("/credentials/0/serial").asText();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String key(String role) {
    HttpResponse<String> created = server.postAdmin("/v1/admin-keys",
        "{\"name\":\"" + role + "\",\"role\":\"" + role + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return TestServer.json(created).get("key").asText();
  }

  private static int call(String key, String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.api(path))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json");
    request = "GET".equals(method) ? request.GET()
        : request.POST(HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = server.send(request.build());
    if (response.statusCode() == 403) {
      assertThat(TestServer.json(response).get("detail").asText()).contains("cannot do this");
    }
    return response.statusCode();
  }

  @Test
  void auditorReadsButMintsNothingAndRevokesNothing() {
    String auditor = key("auditor");

    assertThat(call(auditor, "POST", "/v1/tokens", "{\"profile\":\"devices\"}"))
        .isEqualTo(403);
    assertThat(call(auditor, "POST", "/v1/credentials/" + serial + "/revoke", "{}"))
        .isEqualTo(403);
    assertThat(call(auditor, "POST", "/v1/admin-keys", "{\"name\":\"x\",\"role\":\"owner\"}"))
        .isEqualTo(403);
    assertThat(call(auditor, "GET", "/v1/subjects", null)).isEqualTo(200);
    assertThat(call(auditor, "GET", "/v1/audit/checkpoints", null)).isEqualTo(200);
  }

  @Test
  void approverDecidesButNeitherMintsNorRevokesNorReadsTheAuditLog() {
    String approver = key("approver");

    assertThat(call(approver, "POST", "/v1/tokens", "{\"profile\":\"devices\"}"))
        .isEqualTo(403);
    assertThat(call(approver, "POST", "/v1/credentials/" + serial + "/revoke", "{}"))
        .isEqualTo(403);
    assertThat(call(approver, "GET", "/v1/audit/checkpoints", null)).isEqualTo(403);
    assertThat(call(approver, "GET", "/v1/approvals", null)).isEqualTo(200);
  }

  @Test
  void operatorRunsTheLifecycleButMintsNoEvidence() {
    String operator = key("operator");

    assertThat(call(operator, "POST", "/v1/tokens", "{\"profile\":\"devices\"}"))
        .isEqualTo(403);
    assertThat(call(operator, "POST", "/v1/groups",
        "{\"profile\":\"devices\",\"name\":\"g\"}")).isEqualTo(403);
    assertThat(call(operator, "POST", "/v1/approvals/x/approve", "{}")).isEqualTo(403);
    assertThat(call(operator, "POST", "/v1/credentials/" + serial + "/revoke", "{}"))
        .isEqualTo(200);
  }

  @Test
  void adminMintsTokensButCreatesNoKeys() {
    String admin = key("admin");

    assertThat(call(admin, "POST", "/v1/tokens", "{\"profile\":\"devices\"}")).isEqualTo(201);
    assertThat(call(admin, "POST", "/v1/admin-keys", "{\"name\":\"x\",\"role\":\"admin\"}"))
        .isEqualTo(403);
  }
}
