package dev.enroll.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.enroll.testing.MutableClock;
import dev.enroll.testing.Openssl;
import dev.enroll.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each refusal: the right status and problem type, and nothing stored but the refusal's
 * audit event (no subject, enrollment or credential; no token use spent).
 */
class RefusalIT {
  @TempDir static Path directory;
  static MutableClock clock = new MutableClock();
  static TestServer server;
  static String goodCsr;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(directory, clock);
    goodCsr = Openssl.p256(directory, "good", "/CN=sensor-1",
        "DNS:sensor-1.devices.example.internal");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Sends a request and checks the refusal left nothing but its audit event. */
  private static JsonNode refusedWith(int status, String type,
      java.util.function.Supplier<HttpResponse<String>> send) {
    Map<String, Long> before = server.counts();

    HttpResponse<String> response = send.get();

    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problem = TestServer.json(response);
    assertThat(problem.get("type").asText()).isEqualTo("urn:enroll:problem:" + type);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("detail").asText()).isNotBlank();
    Map<String, Long> after = server.counts();
    for (String table : TestServer.RECORD_TABLES) {
      assertThat(after.get(table)).as(table).isEqualTo(before.get(table));
    }
    assertThat(after.get("audit_event")).as("one audit event")
        .isEqualTo(before.get("audit_event") + 1);
    assertThat(server.lastAuditEvent()).isEqualTo("enrollment.refused/refused/" + type);
    return problem;
  }

  /** An enrollment whose token is made first, so its creation is not counted. */
  private static java.util.function.Supplier<HttpResponse<String>> enrolling(String profile,
      String externalId, String csr) {
    String token = server.token(profile);
    long usesLeft = server.counts().get("uses_left");
    return () -> {
      HttpResponse<String> response =
          server.enroll(TestServer.enrollment(profile, externalId, token, csr));
      assertThat(server.counts().get("uses_left")).as("token uses left").isEqualTo(usesLeft);
      return response;
    };
  }

  @Test
  void bodyThatIsNotJsonIsRefused() {
    JsonNode problem = refusedWith(400, "request-malformed",
        () -> server.enroll("{\"profile\": \"devices\","));
    assertThat(problem.get("detail").asText()).contains("not valid JSON");
  }

  @Test
  void bodyWithoutAProfileIsRefused() {
    JsonNode problem = refusedWith(400, "request-malformed", () -> server.enroll("{}"));
    assertThat(problem.get("detail").asText()).contains("profile");
  }

  @Test
  void attestationTypeThatIsNotAStringIsRefused() {
    JsonNode problem = refusedWith(400, "request-malformed", () -> server.enroll(
        "{\"profile\":\"devices\",\"attestation\":{\"type\":5},\"csr\":\"x\"}"));
    assertThat(problem.get("detail").asText()).contains("attestation.type");
  }

  @Test
  void wrongContentTypeIsRefused() {
    refusedWith(415, "unsupported-media-type", () -> server.enroll(
        TestServer.enrollment("devices", "sensor-1", "x", goodCsr),
        "Content-Type", "text/plain"));
  }

  @Test
  void bodyOver64KibIsRefused() {
    String big = TestServer.enrollment("devices", "sensor-1", "x", goodCsr + " ".repeat(70_000));
    refusedWith(413, "request-too-large", () -> server.enroll(big));
  }

  @Test
  void unknownProfileIsRefused() {
    JsonNode problem = refusedWith(404, "profile-unknown", () -> server.enroll(
        TestServer.enrollment("no-such-profile", "sensor-1", "x", goodCsr)));
    assertThat(problem.get("detail").asText()).contains("no-such-profile");
  }

  @Test
  void csrThatIsNotPemIsRefused() {
    refusedWith(400, "csr-malformed", enrolling("devices", "sensor-1",
        "-----BEGIN CERTIFICATE REQUEST-----\nnot base64 at all!\n"
            + "-----END CERTIFICATE REQUEST-----\n"));
  }

  @Test
  void csrThatDoesNotParseIsRefused() {
    String garbage = "-----BEGIN CERTIFICATE REQUEST-----\n"
        + Base64.getEncoder().encodeToString("hello, this is no DER".getBytes())
        + "\n-----END CERTIFICATE REQUEST-----\n";
    refusedWith(400, "csr-malformed", enrolling("devices", "sensor-1", garbage));
  }

  @Test
  void csrWithAnInvalidSignatureIsRefused() {
    String body = goodCsr.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(body);
    der[der.length - 5] ^= 0x01;
    refusedWith(400, "csr-signature-invalid", enrolling("devices", "sensor-1",
        Base64.getEncoder().encodeToString(der)));
  }

  @Test
  void rsaKeyUnder2048BitsIsRefused() {
    String csr = Openssl.csr(directory, "rsa1024", List.of("rsa:1024"), "/CN=sensor-1", null);
    JsonNode problem = refusedWith(400, "csr-key-weak", enrolling("devices", "sensor-1", csr));
    assertThat(problem.get("detail").asText()).contains("2048");
  }

  @Test
  void sha1SignatureIsRefused() {
    String csr = Openssl.csr(directory, "sha1",
        List.of("ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-sha1"), "/CN=sensor-1", null);
    refusedWith(400, "csr-signature-weak", enrolling("devices", "sensor-1", csr));
  }

  @Test
  void sha224SignatureIsRefusedAsWeakerThanSha256() {
    String csr = Openssl.csr(directory, "sha224",
        List.of("ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-sha224"), "/CN=sensor-1", null);
    JsonNode problem = refusedWith(400, "csr-signature-weak",
        enrolling("devices", "sensor-1", csr));
    assertThat(problem.get("detail").asText()).contains("SHA224").contains("SHA-256");
  }

  @Test
  void keyTypeTheProfileDoesNotAcceptIsRefusedNamingTheAcceptedTypes() {
    String csr = Openssl.csr(directory, "rsa2048", List.of("rsa:2048"), "/CN=sensor-1", null);
    JsonNode problem = refusedWith(400, "csr-algorithm-unsupported",
        enrolling("ecdsa-only", "sensor-1", csr));
    assertThat(problem.get("detail").asText()).contains("P-256").contains("P-384");
    assertThat(problem.get("acceptedKeys")).hasSize(2);
  }

  @Test
  void csrAskingForACaCertificateIsRefused() {
    List<String> key = List.of("ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-addext", "basicConstraints=critical,CA:TRUE");
    String csr = Openssl.csr(directory, "ca", key, "/CN=sensor-1", null);
    refusedWith(400, "csr-ca-request", enrolling("devices", "sensor-1", csr));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "fail/{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"v31.csr", "pss.csr",
      "badutf8.csr"})
  void csrWithAnUnreadableValueIsMalformedNeverAServerError(String file) throws Exception {
    String csr = new String(RefusalIT.class.getResourceAsStream("/csr/" + file)
        .readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
    refusedWith(400, "csr-malformed", enrolling("devices", "sensor-1", csr));
  }

  @Test
  void tenantTooLongForAnyColumnIsRefusedAndAudited() {
    String body = TestServer.enrollment("devices", "sensor-1", "x", goodCsr)
        .replace("{\"profile\"", "{\"tenant\":\"" + "t".repeat(300) + "\",\"profile\"");
    refusedWith(404, "profile-unknown", () -> server.enroll(body, "Idempotency-Key", "k-1"));
  }

  @Test
  void subjectKindAndIdTooLongAreRefusedAndAudited() {
    String body = TestServer.enrollment("devices", "i".repeat(200), "x", goodCsr)
        .replace("\"kind\":\"device\"", "\"kind\":\"" + "k".repeat(200) + "\"");
    refusedWith(400, "request-malformed", () -> server.enroll(body));
  }

  @Test
  void attributesWithControlCharactersOrTooMuchTextAreRefused() {
    String token = server.token("devices");
    String control = TestServer.enrollment("devices", "sensor-1", token, goodCsr)
        .replace("\"externalId\"", "\"attributes\":{\"a\":\"x\\u0000y\"},\"externalId\"");
    refusedWith(400, "request-malformed", () -> server.enroll(control));
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      many.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":\"")
          .append("\\\"".repeat(200)).append("\"");
    }
    String big = TestServer.enrollment("devices", "sensor-1", token, goodCsr)
        .replace("\"externalId\"", "\"attributes\":{" + many + "},\"externalId\"");
    refusedWith(400, "request-malformed", () -> server.enroll(big));
  }

  @Test
  void brokenChunkedBodyIsMalformedNotAServerError() throws Exception {
    javax.net.ssl.SSLSocketFactory factory =
        TestServer.trusting(server.rootsPem()).getSocketFactory();
    try (java.net.Socket socket = factory.createSocket("localhost",
        server.server().httpsPort())) {
      socket.getOutputStream().write(("POST /v1/enrollments HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
          + "Connection: close\r\n\r\nZZ\r\nab\r\n0\r\n\r\n").getBytes());
      String answer = new String(socket.getInputStream().readAllBytes());
      assertThat(answer).startsWith("HTTP/1.1 400").contains("application/problem+json")
          .contains("urn:enroll:problem:request-malformed");
    }
  }

  @Test
  void problemDocumentsAreUtf8() {
    HttpResponse<String> response = server.enroll(
        TestServer.enrollment("devices", "sensor-1", "x", goodCsr)
            .replace("{\"profile\"", "{\"tenant\":\"ünïcødé-测试\",\"profile\""));
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(TestServer.json(response).get("detail").asText()).contains("ünïcødé-测试");
  }

  @Test
  void existingSubjectCannotBeEnrolledAgainWithATokenForNewSubjects() {
    String csr = Openssl.p256(directory, "existing", "/CN=sensor-3", null);
    assertThat(server.enroll(TestServer.enrollment("devices", "sensor-3",
        server.token("devices"), csr)).statusCode()).isEqualTo(201);

    JsonNode problem = refusedWith(409, "subject-already-enrolled",
        enrolling("devices", "sensor-3", csr));
    assertThat(problem.get("detail").asText()).contains("bound");
  }

  @Test
  void tokenBoundToAnotherSubjectIsRefused() {
    String token = TestServer.json(server.postAdmin("/v1/tokens",
        "{\"profile\":\"devices\",\"externalId\":\"sensor-77\"}")).get("token").asText();
    refusedWith(403, "token-subject-mismatch", () -> server.enroll(
        TestServer.enrollment("devices", "sensor-1", token, goodCsr)));
  }

  @Test
  void unknownTokenIsRefused() {
    refusedWith(401, "token-invalid", () -> server.enroll(TestServer.enrollment("devices",
        "sensor-1", "ejt_no-such-token", goodCsr)));
  }

  @Test
  void expiredTokenIsRefused() {
    java.util.function.Supplier<HttpResponse<String>> enroll =
        enrolling("devices", "sensor-1", goodCsr);
    clock.advance(Duration.ofHours(2));
    refusedWith(403, "token-expired", enroll);
  }

  @Test
  void usedUpTokenIsRefused() throws Exception {
    String token = server.token("devices");
    String csr = Openssl.p256(directory, "first", "/CN=sensor-2", null);
    assertThat(server.enroll(TestServer.enrollment("devices", "sensor-2", token, csr))
        .statusCode()).isEqualTo(201);

    JsonNode problem = refusedWith(403, "token-used-up", () -> server.enroll(
        TestServer.enrollment("devices", "sensor-1", token, goodCsr)));
    assertThat(problem.get("detail").asText()).contains("no uses left");
  }

  @Test
  void tokenForAnotherProfileIsRefused() {
    String token = server.token("cases");
    refusedWith(403, "token-profile-mismatch", () -> server.enroll(
        TestServer.enrollment("devices", "sensor-1", token, goodCsr)));
  }

  @Test
  void alternativeNameTheProfileDoesNotAllowIsRefusedNotDropped() {
    String csr = Openssl.p256(directory, "san", "/CN=sensor-1",
        "DNS:sensor-1.devices.example.internal,DNS:www.example.com");
    JsonNode problem = refusedWith(403, "name-not-allowed",
        enrolling("devices", "sensor-1", csr));
    assertThat(problem.get("detail").asText()).contains("www.example.com");
  }

  @Test
  void commonNameOfAnotherSubjectIsRefused() {
    String csr = Openssl.p256(directory, "cn", "/CN=sensor-9", null);
    refusedWith(403, "name-not-allowed", enrolling("devices", "sensor-1", csr));
  }

  @Test
  void subjectKindTheProfileDoesNotAllowIsRefused() {
    String token = server.token("devices");
    String body = TestServer.enrollment("devices", "sensor-1", token, goodCsr)
        .replace("\"kind\":\"device\"", "\"kind\":\"user\"");
    refusedWith(403, "subject-kind-not-allowed", () -> server.enroll(body));
  }

  @Test
  void tokenSecretNeverReachesTheAuditLogOrTheProblem() {
    String token = server.token("devices");
    HttpResponse<String> response = server.enroll(TestServer.enrollment("devices",
        "sensor-1", token, "not a csr"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).doesNotContain(token);
    assertThat(server.auditText()).doesNotContain(token)
        .doesNotContain(token.substring(4, 20));
  }

  @Test
  void refusalsAreCountedByReason() {
    server.enroll("{");
    String metrics = server.getPlain("/metrics").body();
    assertThat(metrics).containsPattern(
        "enroll_enrollments_total\\{.*outcome=\"refused\".*reason=\"request-malformed\".*\\}"
            + " [1-9]");
    assertThat(metrics).contains("enroll_enrollment_duration_seconds_bucket");
  }
}
